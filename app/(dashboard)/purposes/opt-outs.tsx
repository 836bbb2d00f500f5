"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { useNames } from "@/app/_components/names";
import { useFormats } from "@/app/_components/providers";
import { withdrawalsQuery } from "@/app/_components/queries";
import { DataView, EmptyState } from "@/app/_components/states";
import type { QueryParams } from "@/app/_components/query-keys";
import { sourceLabel } from "@/lib/metrics/sources";
import type { WithdrawalsResponse } from "@/lib/metrics/types";
import { countColumn } from "@/app/_components/columns";

interface Row {
  purpose: string;
  source: string;
  withdrawn: number;
}

const NO_OPT_OUTS = (
  <EmptyState title="No opt-outs in this period.">
    Send <code>consent.withdrawn</code> events with the channel they came through as <code>source</code> (
    <code>gpc</code>, <code>do_not_sell</code>, <code>dmachoice</code>, <code>daa_webchoices</code>,{" "}
    <code>unsubscribe</code>, <code>preference_center</code>, …).
  </EmptyState>
);

/** Where people opt out: each withdrawing customer once per purpose, under the source of their first opt-out in the period (banner, preference center, e-mail link…). */
export function OptOutsBySource({ params }: { params: QueryParams }) {
  return (
    <Card
      id="opt-outs-by-source"
      wide
      title="Opt-outs by source"
      definition="opt-outs-by-source"
      description="Where customers say no: each customer who withdrew counted once per purpose, under the source of their first opt-out in the period (banner, preference center, e-mail link…)."
    >
      <DataView
        query={withdrawalsQuery(params)}
        isEmpty={(r) => Object.keys(r.sources).length === 0}
        empty={NO_OPT_OUTS}
      >
        {(r) => <Sources response={r} />}
      </DataView>
    </Card>
  );
}

function Sources({ response }: { response: WithdrawalsResponse }) {
  const f = useFormats();
  const names = useNames();
  const sources = Object.entries(response.sources).sort((a, b) => b[1] - a[1]);
  const withOptOuts = response.purposes.filter((p) => p.withdrawn > 0);
  // One bar per channel, stacked by purpose: which channels carry the opt-outs, and for what.
  const data: ChartRow[] = sources.map(([source]) => ({
    source: sourceLabel(source),
    ...Object.fromEntries(withOptOuts.map((p) => [p.purpose, p.by_source[source] ?? 0])),
  }));
  const rows: Row[] = withOptOuts.flatMap((p) =>
    Object.entries(p.by_source).map(([source, withdrawn]) => ({ purpose: p.purpose, source, withdrawn })),
  );
  const table: TableData<Row> = {
    filename: `opt-outs-by-source_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      { key: "purpose", label: "Purpose", value: (r) => r.purpose, format: (r) => names.purpose(r.purpose) },
      { key: "source", label: "Source", value: (r) => r.source, format: (r) => sourceLabel(r.source) },
      countColumn(f, "withdrawn", "Opted out (customers)"),
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={data}
        category="source"
        series={withOptOuts.map((p) => ({ key: p.purpose, label: names.purpose(p.purpose) }))}
        kind="count"
        stacked
        horizontal
        height={Math.max(220, 34 * sources.length + 60)}
        label="Opt-outs by source, stacked by purpose"
      />
      <ChartFooter table={table} rowKey={(r) => `${r.purpose}|${r.source}`} />
    </>
  );
}

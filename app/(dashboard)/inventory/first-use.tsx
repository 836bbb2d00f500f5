"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { formatCount, formatDecimal, formatRate } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { useFormats } from "@/app/_components/providers";
import { firstUseQuery } from "@/app/_components/queries";
import type { QueryParams } from "@/app/_components/query-keys";
import { DataView, EmptyState } from "@/app/_components/states";
import { askWhenNeeded } from "@/lib/metrics/ask-when-needed";
import type { FirstUseCounts, FirstUseResponse } from "@/lib/metrics/types";
import { countColumn } from "@/app/_components/columns";

const NOTHING = (
  <EmptyState title="No data first collected in this period.">
    Send <code>data.collected</code> events with the <code>context</code> (journey step) where the customer
    gave it, and <code>data.used</code> events when it is used.
  </EmptyState>
);

type Row = FirstUseCounts & { field: string; context: string };

/** Do we ask too early? Per field and journey step: how much of what was first collected in the period was used within the field's dormancy window. */
export function FirstUse({ params }: { params: QueryParams }) {
  return (
    <Card
      id="first-use"
      wide
      title="First use: how soon collected data is used"
      definition="first-use"
      description="Customers whose field was first collected in the period, by the journey step where it was asked: used within the field's dormancy window, used later, or never used (up to the end of the period)."
    >
      <DataView
        query={firstUseQuery(params)}
        isEmpty={(r) => r.fields.every((x) => x.collected === 0)}
        empty={NOTHING}
      >
        {(r) => <ByField response={r} />}
      </DataView>
    </Card>
  );
}

function ByField({ response }: { response: FirstUseResponse }) {
  const f = useFormats();
  const names = useNames();
  const fields = response.fields.filter((x) => x.collected > 0);
  const data: ChartRow[] = fields.map((x) => ({
    field: names.field(x.field),
    within: x.used_within_window,
    later: x.collected - x.used_within_window - x.never_used,
    never: x.never_used,
  }));
  const rows: Row[] = fields.flatMap((x) =>
    Object.entries(x.by_context).map(([context, c]) => ({ field: x.field, context, ...c })),
  );
  const table: TableData<Row> = {
    filename: `first-use_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      { key: "field", label: "Field", value: (r) => r.field, format: (r) => names.field(r.field) },
      {
        key: "context",
        label: "Asked at",
        value: (r) => r.context,
        format: (r) => (r.context === "unknown" ? "Not stated" : r.context),
      },
      countColumn(f, "collected", "First collected"),
      countColumn(f, "used_within_window", "Used within window"),
      countColumn(f, "never_used", "Never used"),
    ],
  };
  const finding = askWhenNeeded(response)[0];
  return (
    <>
      {finding ? (
        <p data-ask-when-needed style={{ marginBottom: 8 }}>
          <strong>Ask when needed:</strong> {formatRate(f, finding.share)} of the customers asked for their{" "}
          <strong>{names.field(finding.field)}</strong> at{" "}
          <strong>{finding.context === "unknown" ? "an unstated step" : finding.context}</strong> (
          {formatCount(f, finding.unused)} of {formatCount(f, finding.collected)}) had it unused for its whole
          dormancy window. Ask for it at the step where it is first needed instead.
        </p>
      ) : (
        <p className="muted">
          Every journey step&rsquo;s collections were mostly used within the field&rsquo;s dormancy window.
        </p>
      )}
      <CategoryBarChart
        data={data}
        category="field"
        series={[
          { key: "within", label: "Used within window", color: "var(--c7)" },
          { key: "later", label: "Used later", color: "var(--c3)" },
          { key: "never", label: "Never used", color: "var(--c4)" },
        ]}
        kind="count"
        stacked
        height={280}
        label="First collections per field by how soon they were used"
      />
      <p className="muted">
        Median days to first use:{" "}
        {fields
          .map(
            (x) =>
              `${names.field(x.field)} ${x.median_days_to_first_use === null ? "—" : formatDecimal(f, x.median_days_to_first_use, 1)}`,
          )
          .join(" · ")}
      </p>
      <ChartFooter table={table} rowKey={(r) => `${r.field}|${r.context}`} />
    </>
  );
}

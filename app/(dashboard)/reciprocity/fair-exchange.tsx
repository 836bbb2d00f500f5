"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { formatRate } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { useFormats } from "@/app/_components/providers";
import { fairExchangeQuery } from "@/app/_components/queries";
import type { QueryParams } from "@/app/_components/query-keys";
import { DataView, EmptyState } from "@/app/_components/states";
import { VALUE_KIND_LABELS } from "@/lib/metrics/sources";
import { VALUE_KINDS, type FairExchangeResponse, type WithdrawalCounts } from "@/lib/metrics/types";
import { countColumn } from "@/app/_components/columns";

const COHORTS = [...VALUE_KINDS, "none"] as const;
type Row = WithdrawalCounts & { purpose: string; kind: string };

const NOTHING = (
  <EmptyState title="No consenting customers in this period.">
    Fair exchange compares customers who said yes to a purpose by the kind of value they got for it: send{" "}
    <code>consent.granted</code> and <code>value.delivered</code> events with a <code>value.kind</code>.
  </EmptyState>
);

/** Which kinds of value go with customers keeping their yes: the withdrawal rate of each cohort, over all purposes and per purpose. */
export function FairExchange({ params }: { params: QueryParams }) {
  return (
    <Card
      id="fair-exchange"
      wide
      title="Fair exchange: withdrawal rate by kind of value received"
      definition="fair-exchange"
      description="Of the customers who said yes to a purpose, grouped by the kind of value they got for it in the period (a customer who got several kinds is in each): how many took their yes back."
    >
      <DataView
        query={fairExchangeQuery(params)}
        isEmpty={(r) => r.purposes.every((p) => COHORTS.every((k) => p.kinds[k].consenting === 0))}
        empty={NOTHING}
      >
        {(r) => <ByKind response={r} />}
      </DataView>
    </Card>
  );
}

function ByKind({ response }: { response: FairExchangeResponse }) {
  const f = useFormats();
  const names = useNames();
  // Over all purposes; kinds nobody received are left out of the chart (the table lists every cohort with customers).
  const overall: ChartRow[] = COHORTS.flatMap((k) => {
    const consenting = response.purposes.reduce((s, p) => s + p.kinds[k].consenting, 0);
    const withdrawn = response.purposes.reduce((s, p) => s + p.kinds[k].withdrawn, 0);
    return consenting ? [{ kind: VALUE_KIND_LABELS[k] ?? k, withdrawal_rate: withdrawn / consenting }] : [];
  });
  const rows: Row[] = response.purposes
    .flatMap((p) => COHORTS.map((k) => ({ purpose: p.purpose, kind: k, ...p.kinds[k] })))
    .filter((r) => r.consenting > 0);
  const table: TableData<Row> = {
    filename: `fair-exchange_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      { key: "purpose", label: "Purpose", value: (r) => r.purpose, format: (r) => names.purpose(r.purpose) },
      {
        key: "kind",
        label: "Value received",
        value: (r) => r.kind,
        format: (r) => VALUE_KIND_LABELS[r.kind] ?? r.kind,
      },
      countColumn(f, "consenting", "Consenting"),
      countColumn(f, "withdrawn", "Withdrew"),
      {
        key: "withdrawal_rate",
        label: "Withdrawal rate",
        numeric: true,
        value: (r) => r.withdrawal_rate,
        format: (r) => formatRate(f, r.withdrawal_rate),
      },
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={overall}
        category="kind"
        series={[{ key: "withdrawal_rate", label: "Withdrawal rate", color: "var(--c4)" }]}
        kind="rate"
        zoom
        labels
        height={260}
        label="Withdrawal rate by kind of value received, all purposes"
      />
      <ChartFooter table={table} rowKey={(r) => `${r.purpose}|${r.kind}`} />
    </>
  );
}

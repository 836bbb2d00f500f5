"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, CsvButton, DataTable, type TableData } from "@/app/_components/data-table";
import { FilterBar } from "@/app/_components/filters";
import { formatCount, formatMoney } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { PurposeTrend } from "@/app/_components/purpose-trend";
import { useFormats } from "@/app/_components/providers";
import { reciprocityQuery } from "@/app/_components/queries";
import { EmptyState, DataView } from "@/app/_components/states";
import { useView } from "@/app/_components/use-view";
import { viewParams } from "@/app/_components/view";
import type { ReciprocityResponse } from "@/lib/metrics/types";
import { PurposeName } from "../purposes/purpose-name";
import { FairExchange } from "./fair-exchange";
import { countColumn, rateColumn } from "@/app/_components/columns";

type Row = ReciprocityResponse["purposes"][number];

const NO_USE = (
  <EmptyState title="No data use or value in this period.">
    Send <code>data.used</code> events that name the customer and the <code>purpose</code>, and{" "}
    <code>value.delivered</code> events with the value the customer got (
    <code>{'{"kind": "discount", "amount": 10, "currency": "EUR"}'}</code>).
  </EmptyState>
);

/** Value was delivered, but none of it in money (a service, early access): no "€0.00" for it. */
export const valueWithoutAmount = (p: Row) =>
  p.value_total === 0 &&
  Object.keys(p.value_other).length === 0 &&
  (p.used_and_valued > 0 || p.valued_consenting > 0);
export const NO_AMOUNT = "Not money";

const isEmpty = (r: ReciprocityResponse) =>
  r.purposes.every((p) => p.used === 0 && p.consenting === 0 && p.value_total === 0);

export function ReciprocityView() {
  const { view } = useView();
  const query = reciprocityQuery(viewParams(view));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Reciprocity</h1>
          <p>
            Do we give back? Per purpose: how many customers&rsquo; data we used, how many of them got
            something of value for it, and what that value was.
          </p>
        </div>
      </div>
      <FilterBar />
      <div className="grid">
        <Card
          id="uses-vs-value"
          wide
          title="Data uses vs value delivered"
          definition="reciprocity"
          description="Customers whose data was used for each purpose, and those of them who received value for it."
        >
          <DataView query={query} first height={300} isEmpty={isEmpty} empty={NO_USE}>
            {(r) => <UsesVsValue response={r} />}
          </DataView>
        </Card>
        <Card
          id="reciprocity-trend"
          title="Reciprocity per purpose over time"
          definition="reciprocity"
          description="Each point counts only that period: customers whose data was used in it and who got value in it. Over a whole period more of them get value at some point, so the table's figures are higher than most points."
        >
          <DataView query={query} isEmpty={isEmpty} empty={NO_USE}>
            {(r) => <Trend response={r} />}
          </DataView>
        </Card>
        <Card
          id="value-total"
          title="Value delivered"
          definition="value-total"
          description="Amounts in the workspace currency (or without one), per purpose."
        >
          <DataView query={query} isEmpty={isEmpty} empty={NO_USE}>
            {(r) => <ValueTotals response={r} />}
          </DataView>
        </Card>
        <FairExchange params={viewParams(view)} />
      </div>
    </>
  );
}

function UsesVsValue({ response }: { response: ReciprocityResponse }) {
  const f = useFormats();
  const names = useNames();
  const rows = [...response.purposes].sort((a, b) => b.used - a.used);
  const table: TableData<Row> = {
    filename: `reciprocity_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      {
        key: "purpose",
        label: "Purpose",
        value: (p) => p.purpose,
        format: (p) => <PurposeName purpose={p.purpose} />,
      },
      countColumn(f, "used", "Data used (customers)"),
      countColumn(f, "used_and_valued", "…and got value"),
      rateColumn(f, "reciprocity", "Reciprocity"),
      countColumn(f, "consenting", "Consenting"),
      countColumn(f, "valued_consenting", "…and got value"),
      rateColumn(f, "value_coverage", "Value coverage"),
      {
        key: "value_total",
        label: `Value (${f.currency})`,
        numeric: true,
        unit: "money",
        value: (p) => p.value_total,
        format: (p) => (valueWithoutAmount(p) ? NO_AMOUNT : formatMoney(f, p.value_total)),
      },
      {
        key: "value_other",
        label: "Other currencies",
        value: (p) =>
          Object.entries(p.value_other)
            .map(([c, v]) => `${c} ${v}`)
            .join("; "),
        format: (p) =>
          Object.entries(p.value_other)
            .map(([c, v]) => formatMoney(f, v, c))
            .join(", ") || "—",
      },
    ],
  };
  const data: ChartRow[] = rows.map((p) => ({
    purpose: names.purpose(p.purpose),
    used: p.used,
    used_and_valued: p.used_and_valued,
  }));
  return (
    <>
      <CategoryBarChart
        data={data}
        category="purpose"
        series={[
          { key: "used", label: "Data used", color: "var(--c1)" },
          { key: "used_and_valued", label: "Data used and value delivered", color: "var(--c7)" },
        ]}
        kind="count"
        labels
        height={300}
        label="Customers whose data was used, and those who got value, per purpose"
      />
      <div className="card-head" style={{ marginTop: 12 }}>
        <h3>Per purpose</h3>
        <CsvButton table={table} />
      </div>
      <DataTable table={table} rowKey={(p) => p.purpose} />
    </>
  );
}

function Trend({ response }: { response: ReciprocityResponse }) {
  return (
    <PurposeTrend
      purposes={response.purposes}
      shown={(p) => p.used > 0}
      rate={(point) => point.reciprocity}
      base={(point) => point.used}
      granularity={response.granularity}
      filename={`reciprocity-trend_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}_${response.granularity}`}
      label="Reciprocity per purpose over time"
    />
  );
}

function ValueTotals({ response }: { response: ReciprocityResponse }) {
  const f = useFormats();
  const names = useNames();
  const rows = [...response.purposes].sort((a, b) => b.value_total - a.value_total);
  const money = rows.filter((p) => !valueWithoutAmount(p) && (p.value_total > 0 || p.used > 0));
  const notMoney = rows.filter(valueWithoutAmount);
  const other = rows.filter((p) => Object.keys(p.value_other).length > 0);
  const table: TableData<Row> = {
    filename: `value-delivered_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      { key: "purpose", label: "Purpose", value: (p) => p.purpose, format: (p) => names.purpose(p.purpose) },
      {
        key: "value_total",
        label: `Value (${f.currency})`,
        numeric: true,
        unit: "money",
        value: (p) => p.value_total,
        format: (p) => (valueWithoutAmount(p) ? NO_AMOUNT : formatMoney(f, p.value_total)),
      },
      countColumn(f, "used_and_valued", "Customers who got value"),
    ],
  };
  return (
    <>
      {money.length ? (
        <CategoryBarChart
          data={money.map((p) => ({ purpose: names.purpose(p.purpose), value_total: p.value_total }))}
          category="purpose"
          series={[{ key: "value_total", label: `Value delivered (${f.currency})`, color: "var(--c7)" }]}
          kind="money"
          horizontal
          labels
          height={Math.max(160, 44 * money.length)}
          label="Value delivered per purpose"
        />
      ) : null}
      {notMoney.length ? (
        <p className="muted" data-value-not-money>
          Value that is not money (a service, an early access):{" "}
          {notMoney
            .map(
              (p) =>
                `${names.purpose(p.purpose)} (${formatCount(f, p.used_and_valued)} customers whose data was used got it)`,
            )
            .join("; ")}
          .
        </p>
      ) : null}
      {other.length ? (
        <p className="muted">
          Also delivered in other currencies (not converted):{" "}
          {other
            .map(
              (p) =>
                `${names.purpose(p.purpose)}: ${Object.entries(p.value_other)
                  .map(([c, v]) => formatMoney(f, v, c))
                  .join(", ")}`,
            )
            .join("; ")}
          .
        </p>
      ) : null}
      <ChartFooter table={table} rowKey={(p) => p.purpose} />
    </>
  );
}

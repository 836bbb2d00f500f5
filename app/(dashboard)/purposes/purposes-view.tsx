"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { FilterBar } from "@/app/_components/filters";
import { useNames } from "@/app/_components/names";
import { PurposeTrend } from "@/app/_components/purpose-trend";
import { useFormats } from "@/app/_components/providers";
import { optInQuery, useCatalogQuery } from "@/app/_components/queries";
import { DataView } from "@/app/_components/states";
import { useView } from "@/app/_components/use-view";
import type { OptInPurpose, OptInResponse } from "@/lib/metrics/types";
import { Breakdown } from "./breakdown";
import { Funnel } from "./funnel";
import { OptOutsBySource } from "./opt-outs";
import { NO_ANSWERS, PurposeName } from "./purpose-name";
import { purposesQueries } from "./purposes-params";
import { countColumn, rateColumn } from "@/app/_components/columns";

export function PurposesView() {
  const state = useView();
  const { view, extra } = state;
  const catalog = useCatalogQuery();
  const q = purposesQueries(
    view,
    { breakdown: extra("breakdown"), context: extra("context") },
    catalog.contexts,
  );
  const optIn = optInQuery(q.optIn);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Purposes</h1>
          <p>
            Which asks work: opt-in rate of every purpose side by side, its trend, where and when customers
            say yes, and what happens after the yes.
          </p>
        </div>
      </div>
      <FilterBar problems={q.contextProblem ? [{ key: "context", message: q.contextProblem }] : []} />
      <div className="grid">
        <Card
          id="opt-in-by-purpose"
          title="Opt-in rate by purpose"
          definition="opt-in-rate"
          description="Of the customers asked in the period, the share whose last answer was yes."
        >
          <DataView
            query={optIn}
            first
            isEmpty={(r) => r.purposes.every((p) => p.answered === 0)}
            empty={NO_ANSWERS}
          >
            {(r) => <ByPurpose response={r} />}
          </DataView>
        </Card>
        <Card
          id="opt-in-trend"
          title="Opt-in trend per purpose"
          definition="opt-in-rate"
          description={`Per ${view.granularity}; a gap means nobody was asked in that ${view.granularity}.`}
        >
          <DataView
            query={optIn}
            isEmpty={(r) => r.purposes.every((p) => p.answered === 0)}
            empty={NO_ANSWERS}
          >
            {(r) => <Trend response={r} />}
          </DataView>
        </Card>
        <Breakdown state={state} q={q} />
        <Funnel q={q} />
        <OptOutsBySource params={q.withdrawals} />
      </div>
    </>
  );
}

function ByPurpose({ response }: { response: OptInResponse }) {
  const f = useFormats();
  const names = useNames();
  const rows = [...response.purposes].sort((a, b) => (b.opt_in_rate ?? -1) - (a.opt_in_rate ?? -1));
  const table: TableData<OptInPurpose> = {
    filename: `opt-in-by-purpose_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      {
        key: "purpose",
        label: "Purpose",
        value: (p) => p.purpose,
        format: (p) => <PurposeName purpose={p.purpose} />,
      },
      countColumn(f, "answered", "Asked"),
      countColumn(f, "granted", "Granted"),
      rateColumn(f, "opt_in_rate", "Opt-in rate"),
    ],
  };
  const data: ChartRow[] = rows.map((p) => ({
    purpose: names.purpose(p.purpose),
    opt_in_rate: p.opt_in_rate,
  }));
  return (
    <>
      <CategoryBarChart
        data={data}
        category="purpose"
        series={[{ key: "opt_in_rate", label: "Opt-in rate" }]}
        kind="rate"
        horizontal
        labels
        height={Math.max(200, 44 * rows.length)}
        label="Opt-in rate by purpose"
      />
      <ChartFooter table={table} rowKey={(p) => p.purpose} />
    </>
  );
}

function Trend({ response }: { response: OptInResponse }) {
  return (
    <PurposeTrend
      purposes={response.purposes}
      shown={(p) => p.answered > 0}
      rate={(point) => point.opt_in_rate}
      base={(point) => point.answered}
      granularity={response.granularity}
      filename={`opt-in-trend_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}_${response.granularity}`}
      label="Opt-in rate per purpose over time"
    />
  );
}

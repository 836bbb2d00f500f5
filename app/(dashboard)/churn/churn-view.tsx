"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, TrendChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { FilterBar } from "@/app/_components/filters";
import { formatCount, formatPeriod, formatRate } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { useFormats } from "@/app/_components/providers";
import { churnAfterWithdrawalQuery, churnQuery } from "@/app/_components/queries";
import { EmptyState, DataView } from "@/app/_components/states";
import { useView } from "@/app/_components/use-view";
import type { ChurnAfterWithdrawal, ChurnGroup } from "@/lib/insights/churn-after-withdrawal";
import type { ChurnCounts, ChurnResponse, ConsentCohort } from "@/lib/metrics/types";
import { churnQueries } from "./churn-params";
import { ControlEffect } from "./control-effect";
import { churnColumns, groupTable } from "./group-table";

const NO_ACTIVE = (
  <EmptyState title="No active customers at the start of this period.">
    Churn needs customers seen before the period starts: send their events (any type), and{" "}
    <code>customer.churned</code> when one leaves. Or start the period later.
  </EmptyState>
);

const COHORTS: { key: ConsentCohort; label: string; color: string }[] = [
  // Blue, orange and grey: told apart with any colour vision (red next to green is not).
  { key: "granted", label: "Granted", color: "var(--c1)" },
  { key: "not_granted", label: "Denied or withdrawn", color: "var(--c2)" },
  { key: "never_asked", label: "Never asked", color: "var(--c8)" },
];

export function ChurnView() {
  const { view } = useView();
  const q = churnQueries(view);
  const churn = churnQuery(q.churn);
  const after = churnAfterWithdrawalQuery(q.afterWithdrawal);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Churn</h1>
          <p>
            Who leaves, and whether how we treat their data has to do with it: churn over time, by consent,
            and after a withdrawal.
          </p>
        </div>
      </div>
      <FilterBar />
      <div className="grid">
        <Card
          id="churn-over-time"
          wide
          title="Churn rate over time"
          definition="churn-rate"
          description={`Per ${view.granularity}: of the customers active at its start, the share who churned in it.`}
        >
          <DataView
            query={churn}
            first
            height={300}
            isEmpty={(r) => r.overall.active === 0 && r.overall.series.every((s) => s.active === 0)}
            empty={NO_ACTIVE}
          >
            {(r) => <OverTime response={r} />}
          </DataView>
        </Card>
        <Card
          id="churn-after-withdrawal"
          title="Churn after withdrawal"
          definition="churn-after-withdrawal"
          description="Customers who took back a consent in the period against those who did not."
        >
          <DataView
            query={after}
            isEmpty={(r) => r.withdrew.active + r.did_not_withdraw.active === 0}
            empty={NO_ACTIVE}
          >
            {(r) => <AfterWithdrawal result={r} />}
          </DataView>
        </Card>
        <Card
          id="churn-cohorts"
          title="Churn by consent cohort"
          definition="churn-cohorts"
          description="Active customers split by their consent for each purpose at the start of the period."
        >
          <DataView query={churn} isEmpty={(r) => r.overall.active === 0} empty={NO_ACTIVE}>
            {(r) => <Cohorts response={r} />}
          </DataView>
        </Card>
        <ControlEffect params={q.controlEffect} />
      </div>
    </>
  );
}

function OverTime({ response }: { response: ChurnResponse }) {
  const f = useFormats();
  const { overall } = response;
  const table: TableData<ChurnCounts & { period: string }> = {
    filename: `churn_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}_${response.granularity}`,
    rows: overall.series,
    columns: [
      {
        key: "period",
        label: "Period",
        value: (r) => r.period,
        format: (r) => formatPeriod(f, r.period, response.granularity),
      },
      ...churnColumns(f),
    ],
  };
  return (
    <>
      <p style={{ marginBottom: 8 }} data-churn-overall>
        Over the whole period: <strong className="num">{formatRate(f, overall.churn_rate)}</strong> —{" "}
        {formatCount(f, overall.churned)} of {formatCount(f, overall.active)} active customers churned.
      </p>
      <TrendChart
        data={overall.series.map((s) => ({ period: s.period, churn_rate: s.churn_rate }))}
        series={[{ key: "churn_rate", label: "Churn rate", color: "var(--bad)" }]}
        kind="rate"
        zoom
        granularity={response.granularity}
        label="Churn rate over time"
      />
      <ChartFooter table={table} rowKey={(r) => r.period} />
    </>
  );
}

interface CohortRow extends ChurnCounts {
  purpose: string;
  cohort: ConsentCohort;
}

function Cohorts({ response }: { response: ChurnResponse }) {
  const f = useFormats();
  const names = useNames();
  const purposes = Object.keys(response.cohorts).sort();
  const rows: CohortRow[] = purposes.flatMap((p) =>
    COHORTS.map((c) => ({
      purpose: p,
      cohort: c.key,
      ...(response.cohorts[p]?.[c.key] ?? { active: 0, churned: 0, churn_rate: null }),
    })),
  );
  const data: ChartRow[] = purposes.map((p) => ({
    purpose: names.purpose(p),
    ...Object.fromEntries(COHORTS.map((c) => [c.key, response.cohorts[p]?.[c.key]?.churn_rate ?? null])),
  }));
  const table: TableData<CohortRow> = {
    filename: `churn-by-consent-cohort_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      { key: "purpose", label: "Purpose", value: (r) => r.purpose, format: (r) => names.purpose(r.purpose) },
      {
        key: "cohort",
        label: "Consent at start",
        value: (r) => r.cohort,
        format: (r) => COHORTS.find((c) => c.key === r.cohort)?.label,
      },
      ...churnColumns(f),
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={data}
        category="purpose"
        series={COHORTS.map((c) => ({ key: c.key, label: c.label, color: c.color }))}
        kind="rate"
        zoom
        labels
        height={300}
        label="Churn rate by consent cohort per purpose"
      />
      <ChartFooter table={table} rowKey={(r) => `${r.purpose}|${r.cohort}`} />
    </>
  );
}

function AfterWithdrawal({ result }: { result: ChurnAfterWithdrawal }) {
  const f = useFormats();
  const rows: (ChurnGroup & { group: string; label: string })[] = [
    { group: "withdrew", label: "Withdrew a consent", ...result.withdrew },
    { group: "did_not_withdraw", label: "Did not withdraw", ...result.did_not_withdraw },
  ];
  const table = groupTable(
    f,
    `churn-after-withdrawal_${result.from.slice(0, 10)}_${result.to.slice(0, 10)}`,
    rows,
  );
  const times =
    result.withdrew.churn_rate !== null && result.did_not_withdraw.churn_rate
      ? result.withdrew.churn_rate / result.did_not_withdraw.churn_rate
      : null;
  return (
    <>
      <p style={{ marginBottom: 8 }}>
        <strong className="num">{formatRate(f, result.withdrew.churn_rate)}</strong> of the customers who
        withdrew a consent churned afterwards, against{" "}
        <strong className="num">{formatRate(f, result.did_not_withdraw.churn_rate)}</strong> of the others
        {times !== null && times >= 1.5 ? ` — ${times.toFixed(1)} times as many` : ""}
        {result.median_days_to_churn !== null
          ? `; typically ${Math.round(result.median_days_to_churn)} days after withdrawing`
          : ""}
        .
      </p>
      <CategoryBarChart
        data={rows.map((r) => ({ group: r.label, churn_rate: r.churn_rate }))}
        category="group"
        series={[{ key: "churn_rate", label: "Churn rate", color: "var(--bad)" }]}
        kind="rate"
        zoom
        labels
        height={220}
        label="Churn rate of customers who withdrew a consent and of those who did not"
      />
      <ChartFooter table={table} rowKey={(r) => r.group} />
    </>
  );
}

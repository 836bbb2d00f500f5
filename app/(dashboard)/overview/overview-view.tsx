"use client";

import Link from "next/link";
import { Card } from "@/app/_components/card";
import { bucketOf } from "@/app/_components/chart-format";
import { ChartData, CsvButton, DataTable, type Column, type TableData } from "@/app/_components/data-table";
import { FilterBar } from "@/app/_components/filters";
import { formatDay, formatPeriod, formatPoints, formatRate } from "@/app/_components/format";
import { NOT_ENOUGH } from "@/app/_components/kpi-readings";
import { useFormats } from "@/app/_components/providers";
import { trustIndexQuery, useCampaignLaunchesQuery } from "@/app/_components/queries";
import { DataView, EmptyState } from "@/app/_components/states";
import {
  COMPONENT_LABELS,
  COMPONENTS,
  contribution,
  TrustIndexChart,
} from "@/app/_components/trust-index-chart";
import { useView } from "@/app/_components/use-view";
import { addDays, daysBetween } from "@/app/_components/view";
import { MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import type { TrustComponent, TrustIndexMonth } from "@/lib/metrics/types";
import { Findings } from "./findings";
import { KpiStrip } from "./kpi-strip";
import { NextSteps } from "./next-steps";
import { overviewQueries } from "./overview-params";

export function OverviewView() {
  const { view, query } = useView();
  const f = useFormats();
  const q = overviewQueries(view);
  const trustIndex = trustIndexQuery(q.trustIndex);
  const previousLabel = `the previous ${daysBetween(view.from, view.to)} days`;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p>
            Is trust going up, and why? Key figures for {formatDay(f, view.from)} –{" "}
            {formatDay(f, addDays(view.to, -1))}, each against {previousLabel}.
          </p>
        </div>
        <Link className="btn" href={`/overview/snapshot?${query}`} data-snapshot-open>
          Snapshot for a report
        </Link>
      </div>
      <FilterBar controls={["region", "channel"]} />
      <KpiStrip q={q} previousLabel={previousLabel} />
      <div className="grid">
        <Card
          id="trust-index"
          wide
          title="Trust Index"
          definition="trust-index"
          description={
            <>
              Twelve months up to {formatDay(f, addDays(view.to, -1))}, on a scale of 0 to 100; the axis is
              zoomed to the index&rsquo;s range so that a change of a point shows. Hover or tap a month for
              its components. Dashed lines mark give-back campaign launches.
            </>
          }
        >
          <DataView
            query={trustIndex}
            height={340}
            isEmpty={(r) => r.series.every((m) => m.index === null)}
            empty={
              <EmptyState title="Not enough data for a Trust Index in these twelve months.">
                The index needs at least two of consent answers, consents held, data uses, holdings and survey
                answers, each from 30 customers or more in a month. See{" "}
                <Link href="/definitions#not-enough-data">Not enough data</Link>.
              </EmptyState>
            }
          >
            {(r) => <TrustIndex months={r.series} q={q} query={query} />}
          </DataView>
        </Card>
        <Card
          id="index-movers"
          title="What moved the index"
          definition="trust-index"
          description="Each component's contribution in the last month against the month before."
        >
          <DataView
            query={trustIndex}
            isEmpty={(r) => r.series.filter((m) => m.index !== null).length < 2}
            empty={<EmptyState title="Two months of data are needed to compare." />}
          >
            {(r) => <Movers months={r.series.filter((m) => m.index !== null)} />}
          </DataView>
        </Card>
        <Card
          id="next-steps"
          title="What to do next"
          definition="trust-index"
          description="Where the index loses the most points in its last month, and what raises each."
        >
          <DataView
            query={trustIndex}
            isEmpty={(r) => r.series.at(-1)?.index == null}
            empty={<EmptyState title="No Trust Index for the last month: nothing to rank yet." />}
          >
            {(r) => <NextSteps month={r.series.at(-1) as TrustIndexMonth} query={query} />}
          </DataView>
        </Card>
        <Card
          id="findings"
          title="What stands out"
          description="Found in this period's numbers; each links to the screen that explains it."
        >
          <Findings q={q} viewQuery={query} />
        </Card>
      </div>
    </>
  );
}

function TrustIndex({
  months,
  q,
  query,
}: {
  months: TrustIndexMonth[];
  q: ReturnType<typeof overviewQueries>;
  query: string;
}) {
  const f = useFormats();
  const launches = useCampaignLaunchesQuery(q.launches);
  const markers = launches.map((l) => ({ period: bucketOf(l.launched_at, "month"), label: l.name }));
  const table = trustIndexTable(months, f);
  return (
    <>
      <TrustIndexChart months={months} markers={markers} />
      <p className="muted" style={{ fontSize: 12.5, marginTop: 6 }} data-launches={launches.length}>
        {launches.length === 0
          ? "No give-back campaign was launched in these twelve months."
          : `Campaign launches: ${launches.map((l) => `${l.name} (${formatDay(f, l.launched_at)})`).join(", ")}.`}
      </p>
      <div className="card-actions" style={{ marginTop: 6 }}>
        <CsvButton table={table} />
        <Link className="btn btn-small" href={`/purposes?${query}`}>
          Opt-in by purpose
        </Link>
        <Link className="btn btn-small" href={`/reciprocity?${query}`}>
          Reciprocity
        </Link>
      </div>
      <ChartData table={table} rowKey={(m) => m.period} />
    </>
  );
}

function trustIndexTable(
  months: TrustIndexMonth[],
  f: ReturnType<typeof useFormats>,
): TableData<TrustIndexMonth> {
  const componentColumns = COMPONENTS.map((c): Column<TrustIndexMonth> => ({
    key: c,
    label: COMPONENT_LABELS[c],
    numeric: true,
    unit: "rate",
    value: (m) => m.components[c],
    format: (m) => (m.not_enough_data.includes(c) ? NOT_ENOUGH : formatRate(f, m.components[c])),
  }));
  return {
    filename: `trust-index_${months[0]?.period ?? ""}_${months.at(-1)?.period ?? ""}`,
    rows: months,
    columns: [
      {
        key: "period",
        label: "Month",
        value: (m) => m.period,
        format: (m) => formatPeriod(f, m.period, "month"),
      },
      {
        key: "index",
        label: "Trust Index",
        numeric: true,
        unit: "points",
        value: (m) => m.index,
        format: (m) => (m.index === null ? NOT_ENOUGH : formatPoints(f, m.index)),
      },
      ...componentColumns,
      {
        key: "left_out",
        label: "Left out",
        value: (m) => m.left_out.join(" "),
        format: (m) => m.left_out.map((c) => COMPONENT_LABELS[c]).join(", ") || "—",
      },
    ],
  };
}

interface Mover {
  component: TrustComponent;
  before: number | null;
  now: number | null;
  change: number | null;
}

function Movers({ months }: { months: TrustIndexMonth[] }) {
  const f = useFormats();
  const last = months.at(-1);
  const prior = months.at(-2);
  if (!last || !prior) return null;
  const rows: Mover[] = COMPONENTS.map((c) => {
    const now = contribution(last, c);
    const before = contribution(prior, c);
    return { component: c, now, before, change: now !== null && before !== null ? now - before : null };
  }).sort((a, b) => Math.abs(b.change ?? 0) - Math.abs(a.change ?? 0));
  const indexChange = last.index !== null && prior.index !== null ? last.index - prior.index : null;
  const table: TableData<Mover> = {
    filename: `trust-index-movers_${last.period}`,
    rows,
    columns: [
      {
        key: "component",
        label: "Component",
        value: (r) => r.component,
        format: (r) => COMPONENT_LABELS[r.component],
      },
      {
        key: "before",
        label: formatPeriod(f, prior.period, "month"),
        numeric: true,
        unit: "points",
        value: (r) => r.before,
        format: (r) => formatPoints(f, r.before),
      },
      {
        key: "now",
        label: formatPeriod(f, last.period, "month"),
        numeric: true,
        unit: "points",
        value: (r) => r.now,
        format: (r) => formatPoints(f, r.now),
      },
      {
        key: "change",
        label: "Change (pts)",
        numeric: true,
        unit: "points",
        value: (r) => r.change,
        format: (r) => (
          <span
            className={
              r.change === null || Math.abs(r.change) < 0.05 ? "flat" : r.change > 0 ? "good" : "bad"
            }
          >
            {formatPoints(f, r.change, true)}
          </span>
        ),
      },
    ],
  };
  return (
    <>
      <p style={{ marginBottom: 8 }}>
        Trust Index <strong className="num">{formatPoints(f, last.index)}</strong> in{" "}
        {formatPeriod(f, last.period, "month")},{" "}
        <span
          className={
            indexChange === null || Math.abs(indexChange) < 0.05 ? "flat" : indexChange > 0 ? "good" : "bad"
          }
        >
          {formatPoints(f, indexChange, true)} points
        </span>{" "}
        on {formatPeriod(f, prior.period, "month")}.
      </p>
      <DataTable table={table} rowKey={(r) => r.component} />
      <LeftOut month={last} />
      <div className="card-actions" style={{ marginTop: 8 }}>
        <CsvButton table={table} />
      </div>
    </>
  );
}

/** Why a component shows no points in the last month, and what that does to the others' weights. */
function LeftOut({ month }: { month: TrustIndexMonth }) {
  const f = useFormats();
  if (!month.left_out.length) return null;
  const reasons = month.left_out.map((c) =>
    month.not_enough_data.includes(c)
      ? `${COMPONENT_LABELS[c]}: not enough data (measured on ${month.samples[c]}, fewer than ${MIN_SAMPLE})`
      : `${COMPONENT_LABELS[c]}: no data this month`,
  );
  const weights = Object.entries(month.weights)
    .map(([c, w]) => `${COMPONENT_LABELS[c as TrustComponent]} ${formatRate(f, w)}`)
    .join(", ");
  return (
    <p className="muted" style={{ marginTop: 8 }} data-left-out>
      Left out of {formatPeriod(f, month.period, "month")}: {reasons.join("; ")}. The other components&apos;
      weights are scaled up to add to 100%, so each can contribute more points than its configured weight:{" "}
      {weights}.
    </p>
  );
}

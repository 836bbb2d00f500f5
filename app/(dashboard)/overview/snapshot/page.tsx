import type { Metadata } from "next";
import Link from "next/link";
import {
  formatDateTime,
  formatDay,
  formatPeriod,
  formatPoints,
  formatRate,
  type Formats,
} from "@/app/_components/format";
import * as readings from "@/app/_components/kpi-readings";
import { NOT_ENOUGH, type KpiReading } from "@/app/_components/kpi-readings";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { addDays, viewQuery } from "@/app/_components/view";
import { computeMetric } from "@/lib/metrics";
import { MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import type {
  OverallKpi,
  OverallRate,
  OverallResponse,
  TrustIndexResponse,
  TrustScoreResponse,
} from "@/lib/metrics/types";
import { COMPONENT_LABELS, COMPONENTS } from "@/app/_components/trust-components";
import { KPI_SUMMARIES, NOT_ENOUGH_SUMMARY, type KpiId } from "../kpi-summaries";
import { overviewQueries } from "../overview-params";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Overview snapshot · Trustledger" };

interface Row {
  id: KpiId;
  label: string;
  now: KpiReading;
  before: KpiReading;
  points?: boolean;
}

/**
 * The Overview as a dated, read-only page for a board pack: its period and filters pinned in the link, the time it
 * was computed, every KPI with its counts, the Trust Index by month, and each definition as a footnote. Printable.
 */
export default async function OverviewSnapshot({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view, formats: f } = await screenView("metrics:read", searchParams);
  const q = overviewQueries(view);
  /** The same metric for this period and the previous one, as the API answers them. */
  const pair = <T,>(name: string, now: Record<string, string>, before: Record<string, string>) =>
    Promise.all(
      [now, before].map((params) => computeMetric(db, member.workspaceId, name, params) as Promise<T>),
    ) as Promise<[T, T]>;
  const [overall, t, index] = await Promise.all([
    computeMetric(db, member.workspaceId, "overall", q.current) as Promise<OverallResponse>,
    pair<TrustScoreResponse>("trust-score", q.current, q.previous),
    computeMetric(db, member.workspaceId, "trust-index", q.trustIndex) as Promise<TrustIndexResponse>,
  ]);
  const both = <T,>(answers: [T, T], read: (answer: T) => KpiReading) => ({
    now: read(answers[0]),
    before: read(answers[1]),
  });
  const rates = (kpi: OverallKpi, read: (r: OverallRate) => KpiReading) => ({
    now: read(overall.kpis[kpi]),
    before: read(overall.kpis[kpi].previous),
  });
  const { last, prior } = readings.trustIndexMonths(index);
  const rows: Row[] = [
    {
      id: "trust-index",
      label: `Trust Index (of 100), ${last ? formatPeriod(f, last.period, "month") : ""}`,
      now: readings.trustIndexReading(last),
      before: readings.trustIndexReading(prior),
      points: true,
    },
    { id: "opt-in-rate", label: "Opt-in rate", ...rates("opt_in_rate", readings.optInReading) },
    {
      id: "withdrawal-rate",
      label: "Withdrawal rate",
      ...rates("withdrawal_rate", readings.withdrawalReading),
    },
    { id: "reciprocity", label: "Reciprocity", ...rates("reciprocity", readings.reciprocityReading) },
    { id: "dormant-share", label: "Dormant share", ...rates("dormant_share", readings.dormantReading) },
    { id: "churn-rate", label: "Churn rate", ...rates("churn_rate", readings.churnReading) },
    {
      id: "trust-score",
      label: "Trust score (−100 to 100)",
      ...both(t, readings.trustScoreReading),
      points: true,
    },
  ];
  const computedAt = new Date().toISOString();
  const filters = [
    view.region ? `region ${view.region}` : null,
    view.channel ? `channel ${view.channel}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  const link = `/overview/snapshot?${viewQuery({ ...view, purpose: undefined })}`;
  const shown = (x: KpiReading, points?: boolean) =>
    !x.enough ? NOT_ENOUGH : points ? formatPoints(f, x.value) : formatRate(f, x.value);
  return (
    <article className="snapshot" data-snapshot>
      <div className="page-head">
        <div>
          <h1>Overview snapshot</h1>
          <p data-snapshot-period>
            {formatDay(f, view.from)} – {formatDay(f, addDays(view.to, -1))}
            {filters ? ` · ${filters}` : " · all customers"} · computed {formatDateTime(f, computedAt)} for{" "}
            {member.workspaceName}. Read-only: the link below keeps this period and these filters; numbers are
            recomputed when it is opened, so events that arrive late can still change them.
          </p>
        </div>
        <div className="card-actions no-print">
          <PrintButton />
          <Link className="btn" href={`/overview?${viewQuery({ ...view, purpose: undefined })}`}>
            Back to the overview
          </Link>
        </div>
      </div>
      <p className="no-print">
        Link to this snapshot:{" "}
        <a href={link} data-snapshot-link>
          {link}
        </a>
      </p>
      <section className="card snapshot-section">
        <h2>Key figures</h2>
        <table className="data" data-table="snapshot-kpis">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="n">
                This period
              </th>
              <th scope="col" className="n">
                Previous period
              </th>
              <th scope="col">How it was made</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.id} data-row={row.id}>
                <th scope="row">
                  {row.label}
                  <sup>
                    <a href={`#note-${row.id}`}>{i + 1}</a>
                  </sup>
                </th>
                <td className="n" data-col="now">
                  {shown(row.now, row.points)}
                </td>
                <td className="n" data-col="before">
                  {shown(row.before, row.points)}
                </td>
                <td data-col="counts">{row.now.counts(f)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card snapshot-section">
        <h2>Trust Index by month</h2>
        <TrustIndexTable index={index} f={f} />
      </section>
      <section className="snapshot-notes" aria-label="Definitions">
        <h2>Definitions</h2>
        <ol>
          {rows.map((row) => (
            <li key={row.id} id={`note-${row.id}`} data-note={row.id}>
              <strong>{row.label.replace(/,.*$/, "")}</strong>: {KPI_SUMMARIES[row.id]}
            </li>
          ))}
        </ol>
        <p>
          {NOT_ENOUGH_SUMMARY} The previous period is the{" "}
          {Math.round((Date.parse(view.to) - Date.parse(view.from)) / 86_400_000)} days before this one (for
          the Trust Index, the month before). Full definitions: /definitions. Threshold: {MIN_SAMPLE}.
        </p>
      </section>
    </article>
  );
}

function TrustIndexTable({ index, f }: { index: TrustIndexResponse; f: Formats }) {
  return (
    <div className="table-wrap">
      <table className="data" data-table="snapshot-trust-index">
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col" className="n">
              Trust Index
            </th>
            {COMPONENTS.map((c) => (
              <th key={c} scope="col" className="n">
                {COMPONENT_LABELS[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {index.series.map((m) => (
            <tr key={m.period} data-row={m.period}>
              <th scope="row">{formatPeriod(f, m.period, "month")}</th>
              <td className="n" data-col="index">
                {m.index === null ? NOT_ENOUGH : formatPoints(f, m.index)}
              </td>
              {COMPONENTS.map((c) => (
                <td key={c} className="n">
                  {m.not_enough_data.includes(c) ? NOT_ENOUGH : formatRate(f, m.components[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

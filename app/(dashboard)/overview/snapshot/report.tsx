import type { ReactNode } from "react";
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
import { COMPONENT_LABELS, COMPONENTS } from "@/app/_components/trust-components";
import { addDays, viewQuery, type View } from "@/app/_components/view";
import { MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import type { OverallKpi, OverallRate, TrustIndexResponse } from "@/lib/metrics/types";
import { kpiOf } from "@/lib/metrics/overall-rates";
import type { StoredSnapshot } from "@/lib/snapshots";
import { KPI_SUMMARIES, NOT_ENOUGH_SUMMARY, type KpiId } from "../kpi-summaries";
import type { SnapshotData } from "./data";
import { PrintButton } from "./print-button";

interface Row {
  id: KpiId;
  label: string;
  now: KpiReading;
  before: KpiReading;
  points?: boolean;
}

type SavedEntry = Omit<StoredSnapshot<never>, "payload">;

/** The KPI rows of a snapshot, read from its metric answers as the Overview reads them. */
function kpiRows(data: SnapshotData, f: Formats): Row[] {
  const both = <T,>(answers: [T, T], read: (answer: T) => KpiReading) => ({
    now: read(answers[0]),
    before: read(answers[1]),
  });
  const rates = (kpi: OverallKpi, read: (r: OverallRate) => KpiReading) => ({
    now: read(kpiOf(data.overall, kpi)),
    before: read(kpiOf(data.overall, kpi).previous),
  });
  const { last, prior } = readings.trustIndexMonths(data.trustIndex);
  return [
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
      ...both(data.trustScore, readings.trustScoreReading),
      points: true,
    },
  ];
}

const filtersText = (view: Pick<View, "region" | "channel">) =>
  [view.region ? `region ${view.region}` : null, view.channel ? `channel ${view.channel}` : null]
    .filter(Boolean)
    .join(", ");

/**
 * An Overview snapshot: live (computed when opened, with a button to save it) or saved (`saved` set: the numbers
 * stored when it was saved, never recomputed).
 */
export function SnapshotReport({
  data,
  view,
  f,
  workspaceName,
  actions,
  saved,
  stored,
}: {
  data: SnapshotData;
  view: View;
  f: Formats;
  workspaceName: string;
  actions?: ReactNode;
  /** The workspace's saved snapshots, listed under a live one. */
  saved?: SavedEntry[];
  /** This snapshot as saved. */
  stored?: SavedEntry;
}) {
  const rows = kpiRows(data, f);
  const filters = filtersText(view);
  const live = `/overview/snapshot?${viewQuery({ ...view, purpose: undefined })}`;
  const link = stored ? `/overview/snapshot/${stored.id}` : live;
  const shown = (x: KpiReading, points?: boolean) =>
    !x.enough ? NOT_ENOUGH : points ? formatPoints(f, x.value) : formatRate(f, x.value);
  return (
    <article className="snapshot" data-snapshot={stored ? "saved" : "live"}>
      <div className="page-head">
        <div>
          <h1>{stored ? `Saved snapshot #${stored.id}` : "Overview snapshot"}</h1>
          <p data-snapshot-period>
            {formatDay(f, view.from)} – {formatDay(f, addDays(view.to, -1))}
            {filters ? ` · ${filters}` : " · all customers"} · computed {formatDateTime(f, data.computedAt)}{" "}
            for {workspaceName}.{" "}
            {stored
              ? `Saved by ${stored.createdBy}. Read-only and frozen: these are the numbers as they were when it was saved; events that arrived later do not change them.`
              : "Read-only: the link below keeps this period and these filters; numbers are recomputed when it is opened, so events that arrive late can still change them. Save it to keep these numbers as they are now."}
          </p>
        </div>
        <div className="card-actions no-print">
          {actions}
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
        {stored ? (
          <>
            {" "}
            · <a href={live}>the same view with today&apos;s numbers</a>
          </>
        ) : null}
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
        <TrustIndexTable index={data.trustIndex} f={f} />
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
      {saved?.length ? <SavedList saved={saved} f={f} /> : null}
    </article>
  );
}

function SavedList({ saved, f }: { saved: SavedEntry[]; f: Formats }) {
  return (
    <section className="card snapshot-section no-print" data-saved-snapshots>
      <h2>Saved snapshots</h2>
      <ul>
        {saved.map((s) => (
          <li key={s.id}>
            <a href={`/overview/snapshot/${s.id}`}>
              #{s.id}: {formatDay(f, s.view.from)} – {formatDay(f, addDays(s.view.to, -1))}
              {filtersText(s.view) ? ` · ${filtersText(s.view)}` : ""}
            </a>{" "}
            saved {formatDateTime(f, s.createdAt)} by {s.createdBy}
          </li>
        ))}
      </ul>
    </section>
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

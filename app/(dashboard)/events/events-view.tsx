"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartData, CsvButton, DataTable, type Column, type TableData } from "@/app/_components/data-table";
import { FilterBar } from "@/app/_components/filters";
import { formatCount, formatDateTime, formatPeriod } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import { eventStatsQuery } from "@/app/_components/queries";
import { periodParams } from "@/app/_components/query-keys";
import { DataView, EmptyState } from "@/app/_components/states";
import { useView } from "@/app/_components/use-view";
import type { EventStats, RejectedEvent, RejectionReason, SourceActivity } from "@/lib/event-stats";
import { UploadForm } from "./upload-form";
import { countColumn } from "@/app/_components/columns";
import { codeInWords } from "@/lib/audit/labels";
import { sourceLabel } from "@/lib/metrics/sources";

/** Event types in the order of SPEC section 3, each with a fixed colour across screens and a name in words. */
const TYPES: [type: string, color: string, label: string][] = [
  ["consent.granted", "var(--c3)", "Consent granted"],
  ["consent.denied", "var(--c2)", "Consent denied"],
  ["consent.withdrawn", "var(--c4)", "Consent withdrawn"],
  ["data.collected", "var(--c1)", "Data collected"],
  ["data.used", "var(--c6)", "Data used"],
  ["data.deleted", "var(--c8)", "Data deleted"],
  ["value.delivered", "var(--c7)", "Value delivered"],
  ["customer.churned", "var(--bad)", "Customer churned"],
  ["trust.rated", "var(--c5)", "Trust rating"],
  ["dsar.requested", "var(--c9)", "Data request opened"],
  ["dsar.completed", "var(--c11)", "Data request completed"],
];
const TYPE_LABELS = new Map(TYPES.map(([type, , label]) => [type, label]));
/** An event type's name; a type of a later version is shown as its code in words. */
const typeLabel = (type: string) => TYPE_LABELS.get(type) ?? codeInWords(type);

function pivot(stats: EventStats): { rows: ChartRow[]; types: string[] } {
  const byPeriod = new Map<string, ChartRow>();
  const seen = new Set<string>();
  for (const r of stats.per_period) {
    const row = byPeriod.get(r.period) ?? { period: r.period, total: 0 };
    row[r.type] = r.events;
    row.total = Number(row.total) + r.events;
    byPeriod.set(r.period, row);
    seen.add(r.type);
  }
  const known = TYPES.map(([t]) => t);
  const types = [...known.filter((t) => seen.has(t)), ...[...seen].filter((t) => !known.includes(t)).sort()];
  return { rows: [...byPeriod.values()], types };
}

export function EventsView({ canUpload }: { canUpload: boolean }) {
  const { view } = useView();
  const f = useFormats();
  const query = eventStatsQuery({ ...periodParams(view), granularity: view.granularity });
  const unit = view.granularity === "day" ? "day" : view.granularity === "week" ? "week" : "month";
  const stem = `${view.from}_${view.to}`;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Events</h1>
          <p>What arrived, what was refused and why, and when each source last sent something.</p>
        </div>
      </div>
      <FilterBar controls={["granularity"]} />
      {canUpload ? <UploadForm /> : null}
      <div className="grid">
        <Card
          id="events-per-period"
          title={`Events per ${unit} by type`}
          description="By the day the event occurred (UTC), as stored: duplicates and rejected events are not counted."
          wide
        >
          <DataView
            query={query}
            first
            height={300}
            isEmpty={(s) => s.per_period.length === 0}
            empty={
              <EmptyState title="No events in this period.">
                Send events to <code>POST /api/v1/events</code> with an ingest API key, run{" "}
                <code>npm run tl -- import --workspace &lt;slug&gt; file.ndjson</code>, or upload a file
                above.
              </EmptyState>
            }
          >
            {(stats) => {
              const { rows, types } = pivot(stats);
              const color = new Map(TYPES.map(([t, c]) => [t, c]));
              const table: TableData<ChartRow> = {
                filename: `events-per-${unit}_${stem}`,
                rows,
                columns: [
                  {
                    key: "period",
                    label: "Period",
                    value: (r) => r.period,
                    format: (r) => formatPeriod(f, String(r.period), view.granularity),
                  },
                  ...types.map((t): Column<ChartRow> => ({
                    key: t,
                    label: typeLabel(t),
                    numeric: true,
                    value: (r) => r[t] ?? 0,
                    format: (r) => formatCount(f, Number(r[t] ?? 0)),
                  })),
                  {
                    key: "total",
                    label: "Total",
                    numeric: true,
                    value: (r) => r.total,
                    format: (r) => formatCount(f, Number(r.total)),
                  },
                ],
              };
              return (
                <>
                  <div className="card-actions" style={{ justifyContent: "flex-end", marginBottom: 6 }}>
                    <CsvButton table={table} />
                  </div>
                  <CategoryBarChart
                    data={rows}
                    category="period"
                    categoryFormat={(p) => formatPeriod(f, p, view.granularity, true)}
                    series={types.map((t) => ({ key: t, label: typeLabel(t), color: color.get(t) }))}
                    kind="count"
                    stacked
                    height={320}
                    label={`Events per ${unit} by type`}
                  />
                  <ChartData table={table} rowKey={(r) => String(r.period)} />
                </>
              );
            }}
          </DataView>
        </Card>
        <Card
          id="sources"
          title="Last event per source"
          description="All time, the source heard from longest ago first: one that stops sending rises to the top."
        >
          <DataView
            query={query}
            first
            isEmpty={(s) => s.sources.length === 0}
            empty={<EmptyState title="No events yet." />}
          >
            {(stats) => <SourcesTable sources={stats.sources} />}
          </DataView>
        </Card>
        <Card
          id="rejections"
          title="Rejected events"
          description="Events that failed validation, with the reasons sent back to the sender."
        >
          <DataView
            query={query}
            isEmpty={(s) => s.rejected_total === 0}
            empty={
              <EmptyState title="No rejected events.">
                Every event received so far was valid. Rejections (for example a subject id that looks like an
                e-mail address) appear here with their reasons.
              </EmptyState>
            }
          >
            {(stats) => <Rejections stats={stats} />}
          </DataView>
        </Card>
      </div>
    </>
  );
}

function SourcesTable({ sources }: { sources: SourceActivity[] }) {
  const f = useFormats();
  const table: TableData<SourceActivity> = {
    filename: "event-sources",
    rows: sources,
    columns: [
      {
        key: "source",
        label: "Source",
        value: (r) => r.source,
        format: (r) =>
          r.source ? (
            <span title={r.source}>{sourceLabel(r.source)}</span>
          ) : (
            <span className="muted">Not stated</span>
          ),
      },
      countColumn(f, "events", "Events"),
      {
        key: "last_occurred_at",
        label: "Latest occurred",
        value: (r) => r.last_occurred_at,
        format: (r) => formatDateTime(f, r.last_occurred_at),
      },
      {
        key: "last_received_at",
        label: "Last received",
        value: (r) => r.last_received_at,
        format: (r) => formatDateTime(f, r.last_received_at),
      },
    ],
  };
  return (
    <>
      <div className="card-actions" style={{ justifyContent: "flex-end", marginBottom: 6 }}>
        <CsvButton table={table} />
      </div>
      <DataTable table={table} rowKey={(r) => r.source} />
    </>
  );
}

function Rejections({ stats }: { stats: EventStats }) {
  const f = useFormats();
  const reasons: TableData<RejectionReason> = {
    filename: "rejection-reasons",
    rows: stats.reasons,
    columns: [{ key: "reason", label: "Reason", value: (r) => r.reason }, countColumn(f, "events", "Events")],
  };
  const recent: TableData<RejectedEvent> = {
    filename: "rejected-events",
    rows: stats.recent_rejections,
    columns: [
      {
        key: "received_at",
        label: "Received",
        value: (r) => r.received_at,
        format: (r) => formatDateTime(f, r.received_at),
      },
      {
        key: "event_id",
        label: "Event id",
        value: (r) => r.event_id,
        format: (r) => r.event_id ?? <span className="muted">(none)</span>,
      },
      { key: "via", label: "Via", value: (r) => r.via },
      { key: "errors", label: "Errors", value: (r) => r.errors.join("; ") },
    ],
  };
  return (
    <div className="stack">
      <p>
        <strong className="num">{formatCount(f, stats.rejected_total)}</strong> rejected events kept (the
        first 100 of each batch).
      </p>
      <div>
        <div className="card-head">
          <h3>Most common reasons</h3>
          <CsvButton table={reasons} />
        </div>
        <DataTable table={reasons} rowKey={(r) => r.reason} />
      </div>
      <div>
        <div className="card-head">
          <h3>Latest rejections</h3>
          <CsvButton table={recent} />
        </div>
        <DataTable table={recent} rowKey={(r, i) => `${r.received_at}-${i}`} />
      </div>
    </div>
  );
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { Granularity } from "@/lib/metrics/types";

export interface EventsPerPeriod {
  /** Start of the bucket (day, ISO week from Monday, or month), `YYYY-MM-DD`. */
  period: string;
  type: string;
  events: number;
}

export interface SourceActivity {
  /** `""` for events sent without a source. */
  source: string;
  events: number;
  last_occurred_at: string;
  last_received_at: string;
}

export interface RejectionReason {
  reason: string;
  events: number;
}

export interface RejectedEvent {
  received_at: string;
  event_id: string | null;
  via: string;
  errors: string[];
}

/** The Events screen: what arrived per day and type, what was refused and why, and what each source sent last. */
export interface EventStats {
  from: string;
  to: string;
  granularity: Granularity;
  per_period: EventsPerPeriod[];
  sources: SourceActivity[];
  rejected_total: number;
  reasons: RejectionReason[];
  recent_rejections: RejectedEvent[];
}

const RECENT_REJECTIONS = 50;
const TOP_REASONS = 20;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const dayOf = (v: unknown): string =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

/** The day after the latest event day (UTC), or null for a workspace without events. Dashboards' periods end here. */
export async function dataEndDay(db: Db, workspaceId: number): Promise<string | null> {
  const [row] = await rows<{ day: unknown }>(
    db,
    sql`SELECT max(day) AS day FROM event_daily WHERE workspace_id = ${workspaceId}`,
  );
  if (!row?.day) return null;
  return new Date(Date.parse(`${dayOf(row.day)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * From `event_daily` (kept by ingestion) and `rejected_events`: no scan of the events table. Counts per bucket cover
 * `[from, to)` by occurrence day; sources and rejections are all-time, since they answer "is the feed alive".
 */
export async function eventStats(
  db: Db,
  workspaceId: number,
  period: { from: string; to: string; granularity: Granularity },
): Promise<EventStats> {
  const perPeriod = await rows<{ period: unknown; type: string; events: string | number }>(
    db,
    sql`SELECT date_trunc(${period.granularity}, day::timestamp)::date AS period, type, sum(events) AS events FROM event_daily
        WHERE workspace_id = ${workspaceId} AND day >= ${period.from}::date AND day < ${period.to}::date
        GROUP BY 1, type ORDER BY 1, type`,
  );
  const sources = await rows<{
    source: string;
    events: string | number;
    last_occurred_at: unknown;
    last_received_at: unknown;
  }>(
    db,
    sql`SELECT source, sum(events) AS events, max(last_occurred_at) AS last_occurred_at, max(last_received_at) AS last_received_at
        FROM event_daily WHERE workspace_id = ${workspaceId}
        GROUP BY source ORDER BY max(last_received_at), max(last_occurred_at), source`,
  );
  const [total] = await rows<{ n: string | number }>(
    db,
    sql`SELECT count(*) AS n FROM rejected_events WHERE workspace_id = ${workspaceId}`,
  );
  const reasons = await rows<{ reason: string; events: string | number }>(
    db,
    sql`SELECT e.reason, count(*) AS events
        FROM rejected_events r, LATERAL jsonb_array_elements_text(r.errors) AS e(reason)
        WHERE r.workspace_id = ${workspaceId}
        GROUP BY e.reason ORDER BY count(*) DESC, e.reason LIMIT ${TOP_REASONS}`,
  );
  const recent = await rows<{ received_at: unknown; event_id: string | null; via: string; errors: string[] }>(
    db,
    sql`SELECT received_at, event_id, via, errors FROM rejected_events
        WHERE workspace_id = ${workspaceId} ORDER BY received_at DESC, seq DESC LIMIT ${RECENT_REJECTIONS}`,
  );
  return {
    from: period.from,
    to: period.to,
    granularity: period.granularity,
    per_period: perPeriod.map((r) => ({ period: dayOf(r.period), type: r.type, events: Number(r.events) })),
    sources: sources.map((r) => ({
      source: r.source,
      events: Number(r.events),
      last_occurred_at: iso(r.last_occurred_at),
      last_received_at: iso(r.last_received_at),
    })),
    rejected_total: Number(total?.n ?? 0),
    reasons: reasons.map((r) => ({ reason: r.reason, events: Number(r.events) })),
    recent_rejections: recent.map((r) => ({
      received_at: iso(r.received_at),
      event_id: r.event_id,
      via: r.via,
      errors: r.errors,
    })),
  };
}

import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { confirmCampaignRecipients } from "@/lib/campaigns/confirmations";
import { addMetricSums, queueMetricState } from "@/lib/metrics/state";
import type { StoredEventRow } from "@/lib/events/stored";
import type { EventDimension } from "@/db/schema";
import { CONSENT_EVENTS, USED_EVENT } from "@/lib/metrics/rules/event-types";

/**
 * State that ingestion keeps current, in the same transaction as the insert (no triggers: they do
 * not run on distributed tables). Each maintainer is set-based: one statement per table per batch.
 * The counters that concurrent batches share (a subject split between two batches, the daily
 * counts every batch touches) come last, so their row locks are held only until the commit that
 * follows, and in the same table order in every batch.
 */
export async function applyDerivedState(
  tx: Db,
  workspaceId: number,
  stored: StoredEventRow[],
): Promise<void> {
  await declareUnknownKeys(tx, workspaceId, stored);
  const rollupsKept = await queueMetricState(tx, workspaceId, stored);
  await confirmCampaignRecipients(tx, workspaceId, stored);
  await upsertSubjects(tx, workspaceId, stored);
  if (rollupsKept) await addMetricSums(tx, workspaceId, stored);
  await upsertDailyCounts(tx, workspaceId, stored);
  await upsertFieldUses(tx, workspaceId, stored);
  await addDimensionValues(tx, workspaceId, stored);
}

/** Purpose and field keys first seen in an event are created `undeclared`. */
async function declareUnknownKeys(tx: Db, workspaceId: number, stored: StoredEventRow[]): Promise<void> {
  const purposeKeys = [...new Set(stored.flatMap((e) => (e.purpose ? [e.purpose] : [])))];
  const fieldKeys = [...new Set(stored.flatMap((e) => (e.field ? [e.field] : [])))];
  if (purposeKeys.length) {
    await tx.execute(
      sql`INSERT INTO purposes (workspace_id, key, name, status)
          SELECT ${workspaceId}::bigint, k, k, 'undeclared' FROM jsonb_array_elements_text(${JSON.stringify(purposeKeys)}::jsonb) AS k
          ORDER BY k
          ON CONFLICT (workspace_id, key) DO NOTHING`,
    );
  }
  if (fieldKeys.length) {
    await tx.execute(
      sql`INSERT INTO fields (workspace_id, key, name, status)
          SELECT ${workspaceId}::bigint, k, k, 'undeclared' FROM jsonb_array_elements_text(${JSON.stringify(fieldKeys)}::jsonb) AS k
          ORDER BY k
          ON CONFLICT (workspace_id, key) DO NOTHING`,
    );
  }
}

// Times are compared as strings: validation stores occurred_at as toISOString() (fixed width, UTC),
// whose order is the order of the instants.

async function upsertSubjects(tx: Db, workspaceId: number, stored: StoredEventRow[]): Promise<void> {
  const bySubject = new Map<string, { first: string; last: string; n: number }>();
  for (const e of stored) {
    if (!e.subject) continue;
    const t = e.occurred_at;
    const s = bySubject.get(e.subject);
    if (!s) bySubject.set(e.subject, { first: t, last: t, n: 1 });
    else {
      if (t < s.first) s.first = t;
      if (t > s.last) s.last = t;
      s.n++;
    }
  }
  if (!bySubject.size) return;
  // Sorted keys: concurrent batches lock rows in the same order and cannot deadlock.
  const payload = JSON.stringify(
    [...bySubject]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([subject, s]) => ({ subject, ...s })),
  );
  await tx.execute(
    sql`INSERT INTO subjects AS s (workspace_id, subject, first_seen_at, last_seen_at, event_count)
        SELECT ${workspaceId}::bigint, r.subject, r.first, r.last, r.n
        FROM jsonb_to_recordset(${payload}::jsonb) AS r(subject text, first timestamptz, last timestamptz, n bigint)
        ON CONFLICT (workspace_id, subject) DO UPDATE SET
          first_seen_at = LEAST(s.first_seen_at, EXCLUDED.first_seen_at),
          last_seen_at = GREATEST(s.last_seen_at, EXCLUDED.last_seen_at),
          event_count = s.event_count + EXCLUDED.event_count`,
  );
}

/**
 * The events counted per UTC day and `keyOf`'s columns (null: not counted), with the latest occurred_at of each:
 * the payload of a daily upsert, sorted so that concurrent batches lock its rows in the same order.
 */
function dailyCounts<K extends Record<string, string>>(
  stored: StoredEventRow[],
  keyOf: (e: StoredEventRow) => K | null,
): string {
  const byKey = new Map<string, K & { day: string; n: number; last: string }>();
  for (const e of stored) {
    const columns = keyOf(e);
    if (!columns) continue;
    const day = e.occurred_at.slice(0, 10);
    const key = JSON.stringify([day, ...Object.values(columns)]);
    const c = byKey.get(key);
    if (!c) byKey.set(key, { ...columns, day, n: 1, last: e.occurred_at });
    else {
      c.n++;
      if (e.occurred_at > c.last) c.last = e.occurred_at;
    }
  }
  return JSON.stringify([...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v));
}

async function upsertDailyCounts(tx: Db, workspaceId: number, stored: StoredEventRow[]): Promise<void> {
  const payload = dailyCounts(stored, (e) => ({ type: e.type, source: e.source ?? "" }));
  await tx.execute(
    sql`INSERT INTO event_daily AS d (workspace_id, day, type, source, events, last_occurred_at, last_received_at)
        SELECT ${workspaceId}::bigint, r.day, r.type, r.source, r.n, r.last, now()
        FROM jsonb_to_recordset(${payload}::jsonb) AS r(day date, type text, source text, n bigint, last timestamptz)
        ON CONFLICT (workspace_id, day, type, source) DO UPDATE SET
          events = d.events + EXCLUDED.events,
          last_occurred_at = GREATEST(d.last_occurred_at, EXCLUDED.last_occurred_at),
          last_received_at = EXCLUDED.last_received_at`,
  );
}

/** `data.used` events per day, field and purpose, with the latest (`field_use_daily`, the data inventory). */
async function upsertFieldUses(tx: Db, workspaceId: number, stored: StoredEventRow[]): Promise<void> {
  if (!stored.some((e) => e.type === USED_EVENT && e.field)) return;
  const payload = dailyCounts(stored, (e) =>
    e.type === USED_EVENT && e.field ? { field: e.field, purpose: e.purpose ?? "" } : null,
  );
  await tx.execute(
    sql`INSERT INTO field_use_daily AS d (workspace_id, day, field, purpose, uses, last_used_at)
        SELECT ${workspaceId}::bigint, r.day, r.field, r.purpose, r.n, r.last
        FROM jsonb_to_recordset(${payload}::jsonb) AS r(day date, field text, purpose text, n bigint, last timestamptz)
        ON CONFLICT (workspace_id, day, field, purpose) DO UPDATE SET
          uses = d.uses + EXCLUDED.uses,
          last_used_at = GREATEST(d.last_used_at, EXCLUDED.last_used_at)`,
  );
}

const CONSENT = new Set<string>(CONSENT_EVENTS);

/** The values a filter bar offers: a consent event's context is a journey step (SPEC 4, opt-in by context). */
function dimensionValues(e: StoredEventRow): { dimension: EventDimension; value: string }[] {
  const values: { dimension: EventDimension; value: string }[] = [];
  if (e.region) values.push({ dimension: "region", value: e.region });
  if (e.channel) values.push({ dimension: "channel", value: e.channel });
  if (e.context && CONSENT.has(e.type)) values.push({ dimension: "context", value: e.context });
  return values;
}

/** New regions, channels and journey steps of the batch (`event_dimension_values`, the filter bars' lists). */
async function addDimensionValues(tx: Db, workspaceId: number, stored: StoredEventRow[]): Promise<void> {
  const seen = new Map<string, { dimension: EventDimension; value: string }>();
  for (const e of stored)
    for (const v of dimensionValues(e)) seen.set(JSON.stringify([v.dimension, v.value]), v);
  if (!seen.size) return;
  const payload = JSON.stringify([...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v));
  await tx.execute(
    sql`INSERT INTO event_dimension_values (workspace_id, dimension, value)
        SELECT ${workspaceId}::bigint, r.dimension, r.value
        FROM jsonb_to_recordset(${payload}::jsonb) AS r(dimension text, value text)
        ON CONFLICT (workspace_id, dimension, value) DO NOTHING`,
  );
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { StoredEventRow } from "@/lib/events/stored";
import {
  DEFAULT_ROLLUP_SETTINGS,
  subjectContributions,
  type MetricEvent,
  type RollupSettings,
} from "./contributions";
import { firstUseRows, replaceFirstUseRows } from "./first-use-rows";
import { addBatchSums, addToTallies, TallySums, dormancyWindows, loadSubjectEvents } from "./store";
import { METRIC_STATE_VERSION } from "./version";

/** Advisory lock class of the rollups: batches share it per workspace, a rebuild takes it alone. */
const LOCK_CLASS = 0x746c6d73;
export const lockKey = (workspaceId: number) => sql`${LOCK_CLASS}::int, ${workspaceId % 2 ** 31}::int`;
/** Subjects per read while rebuilding. */
const REBUILD_CHUNK = 2000;

export const asMetricEvent = (e: StoredEventRow): MetricEvent => ({
  subject: e.subject ?? null,
  type: e.type,
  purpose: e.purpose ?? null,
  field: e.field ?? null,
  context: e.context ?? null,
  score: e.score ?? null,
  t: Date.parse(e.occurred_at),
  seq: e.seq,
  amount: e.value?.amount === undefined ? null : String(e.value.amount),
  currency: e.value?.currency ?? null,
  source: e.source ?? null,
  kind: e.value?.kind ?? null,
  request: e.request ?? null,
});

/**
 * The part of the rollups a batch keeps in its own transaction, first half: the dormancy window
 * of each field it names and the queue of its subject events for the applier (apply.ts), which
 * turns them into rollup rows in large chunks. Holds the rollup lock shared, so a rebuild waits
 * for the batch and the batch for a rebuild. Returns whether the workspace's rollups are kept;
 * if so the batch ends with `addMetricSums`.
 */
export async function queueMetricState(
  tx: Db,
  workspaceId: number,
  stored: StoredEventRow[],
): Promise<boolean> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${lockKey(workspaceId)})`);
  if (!(await tracked(tx, workspaceId, stored))) return false;
  await dormancyWindows(tx, workspaceId, [...new Set(stored.flatMap((e) => (e.field ? [e.field] : [])))]);
  const queued = stored.flatMap((e) => (e.subject ? [{ seq: e.seq, subject: e.subject }] : []));
  if (queued.length) {
    await tx.execute(
      sql`INSERT INTO metric_pending (workspace_id, seq, subject)
          SELECT ${workspaceId}::bigint, r.seq, r.subject FROM jsonb_to_recordset(${JSON.stringify(queued)}::jsonb) AS r(seq bigint, subject text)`,
    );
  }
  return true;
}

/**
 * Second half: the additive sums (value amounts, bulk uses). Rows that concurrent batches share,
 * so the batch adds them last, just before its commit.
 */
export async function addMetricSums(tx: Db, workspaceId: number, stored: StoredEventRow[]): Promise<void> {
  const delta = new TallySums();
  delta.add(await addBatchSums(tx, workspaceId, stored.map(asMetricEvent)), 1);
  await addToTallies(tx, workspaceId, delta);
}

export const fieldsOf = (bySubject: Map<string, MetricEvent[]>): string[] => [
  ...new Set([...bySubject.values()].flatMap((es) => es.flatMap((e) => (e.field ? [e.field] : [])))),
];

/** A text[] of parameters, no sub-query: Citus refuses sub-queries in an INSERT's VALUES. */
const textArray = (values: readonly string[]) =>
  values.length
    ? sql`ARRAY[${sql.join(
        values.map((v) => sql`${v}::text`),
        sql`, `,
      )}]::text[]`
    : sql`'{}'::text[]`;

/** The workspace's settings as configured now (a reference table, read on its own). */
async function configuredSettings(tx: Db, workspaceId: number): Promise<RollupSettings> {
  const [w] = await rows<{ dsar_due_days: number; control_sources: string[] }>(
    tx,
    sql`SELECT dsar_due_days, control_sources FROM workspaces WHERE id = ${workspaceId}`,
  );
  return w
    ? { dsarDueDays: Number(w.dsar_due_days), controlSources: w.control_sources }
    : DEFAULT_ROLLUP_SETTINGS;
}

/**
 * Whether the rollups of this workspace are kept. A workspace starts being kept with its first
 * batch; one that had events before the rollups existed (or at an older version) is not, until
 * `rebuildMetricState`: its metrics are read from the raw events meanwhile.
 */
async function tracked(tx: Db, workspaceId: number, stored: StoredEventRow[]): Promise<boolean> {
  const version = async () =>
    (
      await rows<{ version: number }>(
        tx,
        sql`SELECT version FROM metric_state WHERE workspace_id = ${workspaceId}`,
      )
    )[0]?.version;
  const known = await version();
  if (known !== undefined) return known === METRIC_STATE_VERSION;
  const seqs = JSON.stringify(stored.map((e) => e.seq));
  const settings = await configuredSettings(tx, workspaceId);
  await tx.execute(
    sql`INSERT INTO metric_state (workspace_id, version, dsar_due_days, control_sources)
        SELECT ${workspaceId}::bigint, ${METRIC_STATE_VERSION}, ${settings.dsarDueDays}::int, ${textArray(settings.controlSources)}
        WHERE NOT EXISTS (SELECT 1 FROM events WHERE workspace_id = ${workspaceId}
                          AND seq NOT IN (SELECT jsonb_array_elements_text(${seqs}::jsonb)::bigint))
        ON CONFLICT (workspace_id) DO NOTHING`,
  );
  return (await version()) === METRIC_STATE_VERSION;
}

/**
 * Recomputes the workspace's rollups from its events, in one transaction that holds ingestion of
 * the workspace off meanwhile. For workspaces with events from before the rollups, or after a
 * change of METRIC_STATE_VERSION.
 */
export async function rebuildMetricState(
  db: Db,
  workspaceId: number,
  onProgress?: (subjects: number) => void,
): Promise<{ subjects: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${lockKey(workspaceId)})`);
    await tx.execute(sql`DELETE FROM metric_tally WHERE workspace_id = ${workspaceId}`);
    await tx.execute(sql`DELETE FROM metric_tally_attr WHERE workspace_id = ${workspaceId}`);
    await tx.execute(sql`DELETE FROM metric_value_daily WHERE workspace_id = ${workspaceId}`);
    await tx.execute(sql`DELETE FROM metric_field_window WHERE workspace_id = ${workspaceId}`);
    await tx.execute(sql`DELETE FROM metric_first_use WHERE workspace_id = ${workspaceId}`);
    // Every queued event is committed (ingestion cannot commit while this lock is held): rebuilt below.
    await tx.execute(sql`DELETE FROM metric_pending WHERE workspace_id = ${workspaceId}`);
    // The settings the rows are built with, as configured now (read by the applier and the queries).
    const settings = await configuredSettings(tx, workspaceId);
    await tx.execute(
      sql`INSERT INTO metric_state (workspace_id, version, dsar_due_days, control_sources)
          VALUES (${workspaceId}::bigint, 0, ${settings.dsarDueDays}::int, ${textArray(settings.controlSources)})
          ON CONFLICT (workspace_id) DO UPDATE SET version = 0, dsar_due_days = EXCLUDED.dsar_due_days, control_sources = EXCLUDED.control_sources`,
    );
    const bulk = await rows<{ t: number | string; seq: number | string; field: string }>(
      tx,
      sql`SELECT (extract(epoch FROM occurred_at) * 1000)::float8 AS t, seq, field FROM events
          WHERE workspace_id = ${workspaceId} AND type = 'data.used' AND subject IS NULL`,
    );
    const bulkUses = new TallySums();
    const uses = bulk.map((b): MetricEvent => ({
      subject: null,
      type: "data.used",
      purpose: null,
      field: b.field,
      context: null,
      score: null,
      t: Math.round(Number(b.t)),
      seq: Number(b.seq),
      amount: null,
      currency: null,
      source: null,
      kind: null,
      request: null,
    }));
    bulkUses.add(await addBatchSums(tx, workspaceId, uses), 1);
    await addToTallies(tx, workspaceId, bulkUses);
    let done = 0;
    let after = "";
    for (;;) {
      const chunk = (
        await rows<{ subject: string }>(
          tx,
          sql`SELECT subject FROM subjects WHERE workspace_id = ${workspaceId} AND subject > ${after} ORDER BY subject LIMIT ${REBUILD_CHUNK}`,
        )
      ).map((r) => r.subject);
      if (!chunk.length) break;
      const delta = new TallySums();
      const events = await loadSubjectEvents(tx, workspaceId, chunk);
      const windows = await dormancyWindows(tx, workspaceId, fieldsOf(events));
      for (const own of events.values()) delta.add(subjectContributions(own, windows, settings), 1);
      delta.add(await addBatchSums(tx, workspaceId, [...events.values()].flat()), 1);
      await addToTallies(tx, workspaceId, delta);
      await replaceFirstUseRows(
        tx,
        workspaceId,
        new Map([...events].map(([subject, own]) => [subject, firstUseRows(own)])),
      );
      done += chunk.length;
      after = chunk[chunk.length - 1] as string;
      onProgress?.(done);
    }
    await tx.execute(
      sql`INSERT INTO metric_state (workspace_id, version, updated_at) VALUES (${workspaceId}, ${METRIC_STATE_VERSION}, now())
          ON CONFLICT (workspace_id) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
    );
    return { subjects: done };
  });
}

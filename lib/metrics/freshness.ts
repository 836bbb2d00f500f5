import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { Consistency, Freshness } from "./types";

/**
 * `AND` the event (alias `alias`) is counted in the rollups: not waiting in `metric_pending`. For the reads that
 * join rollup totals with a few raw events, so both sides count the same events.
 */
export const appliedEventSql = (alias: string): SQL =>
  sql` AND NOT EXISTS (SELECT 1 FROM metric_pending p WHERE p.workspace_id = ${sql.raw(alias)}.workspace_id AND p.seq = ${sql.raw(alias)}.seq)`;

/**
 * What the rollups miss at the start of a read: the events queued for them (`metric_pending`) and
 * the oldest one's queuing time. Every event committed before `as_of` is in the rollups: an event
 * committed earlier that were still queued would be older than the oldest queued one. With nothing
 * queued, `as_of` is the instant of this statement. Read before the metric, so it is a lower bound:
 * the applier may add more while the metric reads, never less.
 */
export async function readFreshness(
  db: Db,
  workspaceId: number,
  consistency: Consistency,
): Promise<Freshness> {
  const [found] = await rows<{ pending: string | number | bigint; as_of: string | Date }>(
    db,
    sql`SELECT count(*) AS pending, coalesce(min(queued_at), now()) AS as_of
        FROM metric_pending WHERE workspace_id = ${workspaceId}`,
  );
  return {
    as_of: new Date(found?.as_of ?? Date.now()).toISOString(),
    pending_events: Number(found?.pending ?? 0),
    consistency,
  };
}

import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { subjectContributions, type MetricEvent } from "./contributions";
import { firstUseRows, replaceFirstUseRows, type FirstUseRow } from "./first-use-rows";
import { fieldsOf, lockKey } from "./index";
import {
  addToTallies,
  TallySums,
  bySubject,
  dormancyWindows,
  rollupSettings,
  SUBJECT_EVENT_COLUMNS,
  type SubjectEventRow,
} from "./store";

/** Advisory lock class of the applier: one applier per workspace at a time. */
const APPLY_CLASS = 0x746c6170;
/**
 * Queued events applied per transaction: taken in claims of CLAIM_CHUNK (each loads the whole
 * history of its subjects), their rollup rows summed in memory and written once. Rows shared by
 * many subjects (a purpose's day, a month) are then written once per transaction instead of once
 * per claim: at 100,000 events about half the rows of 20,000-event transactions.
 */
export const APPLY_CHUNK = 100_000;
export const CLAIM_CHUNK = 20_000;
/** Longest stretch of computing rollup rows without giving the event loop back. */
const SLICE_MS = 10;

/** An event of a subject being applied: in the rollups already, taken off the queue now, or still queued (by a later chunk). */
type Applied = MetricEvent & { state: "applied" | "claimed" | "queued" };

/**
 * The claim: the workspace's first `limit` queued events taken off the queue, and every event of
 * their subjects, in one statement, so the queue and the events are read from the same snapshot:
 * an event is either seen with its queue row or not at all (its batch committed later, and a later
 * claim takes it).
 *
 * No join or IN-list against the queue: the queue table holds every workspace's rows, and its
 * statistics can come from a moment when another workspace filled it, estimating one row for this
 * one. An IN (…) claim was then planned as a nested loop over a full scan of the queue, per claimed
 * row (seen: a 20,000-event claim still running after 24 minutes). The claim is a range of seq up
 * to the limit-th queued one, and an event's state is read from its own queue row (a primary-key
 * probe) and that boundary; every plan of it is linear.
 */
export function claimStatement(workspaceId: number, limit: number): SQL {
  return sql`WITH boundary AS (
          SELECT coalesce((SELECT seq FROM metric_pending WHERE workspace_id = ${workspaceId} ORDER BY seq OFFSET ${limit - 1} LIMIT 1),
                          9223372036854775807) AS seq),
        claimed AS (
          DELETE FROM metric_pending p
          WHERE p.workspace_id = ${workspaceId} AND p.seq <= (SELECT seq FROM boundary)
          RETURNING p.subject),
        subjects AS (SELECT DISTINCT subject FROM claimed)
        SELECT ${SUBJECT_EVENT_COLUMNS},
          CASE WHEN NOT EXISTS (SELECT 1 FROM metric_pending q WHERE q.workspace_id = ${workspaceId} AND q.seq = e.seq) THEN 'applied'
               WHEN e.seq <= (SELECT seq FROM boundary) THEN 'claimed'
               ELSE 'queued' END AS state,
          (SELECT count(*) FROM claimed) AS claimed
        FROM subjects s
        CROSS JOIN LATERAL (SELECT * FROM events WHERE workspace_id = ${workspaceId} AND subject = s.subject ORDER BY occurred_at, seq OFFSET 0) AS e`;
}

async function claimQueued(
  tx: Db,
  workspaceId: number,
  limit: number,
): Promise<{ claimed: number; bySubject: Map<string, Applied[]> }> {
  const found = await rows<SubjectEventRow & { state: Applied["state"]; claimed: string | number }>(
    tx,
    claimStatement(workspaceId, limit),
  );
  return { claimed: Number(found[0]?.claimed ?? 0), bySubject: bySubject(found) };
}

/**
 * Applies up to `limit` queued events of the workspace to the rollups, in one transaction and in
 * claims of `claimSize` (while `keepClaiming`): for each subject, its rows from the events applied
 * or claimed, minus its rows from those applied before. A later claim in the same transaction sees
 * the earlier claims' events as applied, so the differences add up to the rows of all of them.
 * Returns how many queued events it took (0: the queue was empty).
 */
export async function applyQueuedChunk(
  db: Db,
  workspaceId: number,
  limit = APPLY_CHUNK,
  claimSize = CLAIM_CHUNK,
  keepClaiming = () => true,
): Promise<number> {
  return db.transaction(async (tx) => {
    // The applier lock first, in its own statement: the claim below then sees the previous applier's commit.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${APPLY_CLASS}::int, ${workspaceId % 2 ** 31}::int)`);
    await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${lockKey(workspaceId)})`);
    const delta = new TallySums();
    // First use is not a sum: each claimed subject's rows are rewritten from all its applied events.
    const firstUses = new Map<string, FirstUseRow[]>();
    const settings = await rollupSettings(tx, workspaceId);
    let taken = 0;
    while (taken < limit && keepClaiming()) {
      const { claimed, bySubject } = await claimQueued(tx, workspaceId, Math.min(claimSize, limit - taken));
      if (!claimed) break;
      taken += claimed;
      const windows = await dormancyWindows(tx, workspaceId, fieldsOf(bySubject));
      let sliceStart = performance.now();
      for (const [subject, events] of bySubject) {
        const after = events.filter((e) => e.state !== "queued");
        const before = after.filter((e) => e.state === "applied");
        firstUses.set(subject, firstUseRows(after));
        delta.add(subjectContributions(after, windows, settings), 1);
        if (before.length) delta.add(subjectContributions(before, windows, settings), -1);
        if (performance.now() - sliceStart > SLICE_MS) {
          // The applier shares the process with the HTTP server: let requests in between.
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
    }
    await addToTallies(tx, workspaceId, delta);
    await replaceFirstUseRows(tx, workspaceId, firstUses);
    return taken;
  });
}

/**
 * Whether any event of the workspace waits for the rollups. In key order with LIMIT 1, so it is an index
 * scan: after a large catch-up the queue's index holds millions of dead entries until vacuum, and a plain
 * EXISTS was planned as a bitmap scan that read them all on every exact read (182 ms measured after 10M
 * events), where an index scan marks them dead once and skips them afterwards.
 */
export async function hasQueued(db: Db, workspaceId: number): Promise<boolean> {
  const found = await rows<{ seq: unknown }>(
    db,
    sql`SELECT seq FROM metric_pending WHERE workspace_id = ${workspaceId} ORDER BY seq LIMIT 1`,
  );
  return found.length > 0;
}

/** Applies the workspace's whole queue: afterwards the rollups hold every event committed before the call. */
export async function catchUpMetricState(
  db: Db,
  workspaceId: number,
  onProgress?: (applied: number) => void,
): Promise<number> {
  let applied = 0;
  while (await hasQueued(db, workspaceId)) {
    applied += await applyQueuedChunk(db, workspaceId);
    onProgress?.(applied);
  }
  return applied;
}

import "server-only";
import { and, count, desc, eq, gt, min } from "drizzle-orm";
import type { Db } from "@/db/client";
import { overviewSnapshots } from "@/db/schema";
import { recordAction } from "@/lib/audit";
import { authorize, type Actor } from "@/lib/auth/member";
import { badRequest, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/parse";
import { rateLimited } from "@/lib/ratelimit";
import { SnapshotView } from "./view";

export { SnapshotView };

export interface StoredSnapshot<P> {
  id: number;
  view: SnapshotView;
  payload: P;
  createdBy: string;
  createdAt: string;
}

export function parseSnapshotView(input: unknown): SnapshotView {
  return parseInput(SnapshotView, input);
}

/** Saves per person per hour: a board pack needs a few; a script saving in a loop is stopped before it reads the metrics. */
export const SNAPSHOTS_PER_HOUR = 30;

/** 429, with the wait, when the actor saved `SNAPSHOTS_PER_HOUR` snapshots in the last hour. */
async function checkSnapshotAllowance(db: Db, actor: Actor, now = new Date()): Promise<void> {
  authorize(actor, "metrics:read");
  const since = new Date(now.getTime() - 3_600_000);
  const [row] = await db
    .select({ saved: count(), oldest: min(overviewSnapshots.createdAt) })
    .from(overviewSnapshots)
    .where(
      and(
        eq(overviewSnapshots.workspaceId, actor.workspaceId),
        eq(overviewSnapshots.createdBy, actor.label),
        gt(overviewSnapshots.createdAt, since),
      ),
    );
  if (row && row.saved >= SNAPSHOTS_PER_HOUR) {
    const wait = Math.max(1, Math.ceil(((row.oldest?.getTime() ?? now.getTime()) - since.getTime()) / 1000));
    throw rateLimited(
      `you saved ${SNAPSHOTS_PER_HOUR} snapshots in the last hour, the most allowed: try again in ${Math.ceil(wait / 60)} min`,
      wait,
    );
  }
}

/**
 * Stores what the Overview reads for `view` now (`read`), audited; anyone who may read the metrics may save one. The
 * hour's allowance is checked before `read` runs, so a refused save reads no metric.
 */
export async function saveSnapshot<P>(
  db: Db,
  actor: Actor,
  view: SnapshotView,
  read: () => Promise<P>,
): Promise<StoredSnapshot<P>> {
  await checkSnapshotAllowance(db, actor);
  const payload = await read();
  const [row] = await db
    .insert(overviewSnapshots)
    .values({ workspaceId: actor.workspaceId, view, payload, createdBy: actor.label })
    .returning();
  if (!row) throw new Error("the snapshot was not stored");
  await recordAction(db, actor, "snapshot.saved", String(row.id), {
    period: `${view.from} to ${view.to}`,
    ...(view.region ? { region: view.region } : {}),
    ...(view.channel ? { channel: view.channel } : {}),
  });
  return stored(row);
}

/** One saved snapshot of the actor's workspace; 404 for an id of another workspace or none. */
export async function getSnapshot<P>(db: Db, actor: Actor, rawId: string): Promise<StoredSnapshot<P>> {
  authorize(actor, "metrics:read");
  if (!/^[1-9]\d{0,15}$/.test(rawId)) throw badRequest(`snapshot id: expected a number, got '${rawId}'`);
  const [row] = await db
    .select()
    .from(overviewSnapshots)
    .where(
      and(eq(overviewSnapshots.workspaceId, actor.workspaceId), eq(overviewSnapshots.id, Number(rawId))),
    );
  if (!row) throw notFound(`there is no snapshot ${rawId} in this workspace`);
  return stored(row);
}

/** The workspace's saved snapshots, newest first, without their payloads. */
export async function listSnapshots(
  db: Db,
  actor: Actor,
  limit = 50,
): Promise<Omit<StoredSnapshot<never>, "payload">[]> {
  authorize(actor, "metrics:read");
  const found = await db
    .select({
      id: overviewSnapshots.id,
      view: overviewSnapshots.view,
      createdBy: overviewSnapshots.createdBy,
      createdAt: overviewSnapshots.createdAt,
    })
    .from(overviewSnapshots)
    .where(eq(overviewSnapshots.workspaceId, actor.workspaceId))
    .orderBy(desc(overviewSnapshots.id))
    .limit(limit);
  return found.map((r) => ({
    id: r.id,
    view: r.view as SnapshotView,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  }));
}

function stored<P>(row: typeof overviewSnapshots.$inferSelect): StoredSnapshot<P> {
  return {
    id: row.id,
    view: row.view as SnapshotView,
    payload: row.payload as P,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

import { randomBytes } from "node:crypto";
import { migrate, openPglite, openPostgres, type Database, type Db } from "@/db/client";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { analyzeTables } from "@/lib/metrics/state/scheduler";
import { applyWorkspaceConfig, createWorkspace } from "@/lib/workspaces";

let shared: Promise<Database> | undefined;

/**
 * One database per test worker: in-memory PGlite (migrated here), or the real PostgreSQL server
 * (TL_TEST_DB=postgres) or Citus coordinator (TL_TEST_DB=citus), migrated once by the global setup.
 * Tests isolate themselves by working in a workspace of their own.
 */
export function testDatabase(): Promise<Database> {
  shared ??= (async () => {
    const server = process.env.TL_TEST_DB;
    if (server === "postgres" || server === "citus") {
      const name = server === "citus" ? "TEST_CITUS_URL" : "TEST_DATABASE_URL";
      const url = process.env[name];
      if (!url) throw new Error(`TL_TEST_DB=${server} needs ${name}`);
      // On Citus every statement of a test must run on one shard: Citus refuses any other.
      return openPostgres(url, 4, server === "citus" ? { "citus.multi_task_query_log_level": "error" } : {});
    }
    // TL_TEST_PGLITE_THREAD=worker: PGlite on its own thread, as the app server runs it.
    const database = await openPglite(
      undefined,
      process.env.TL_TEST_PGLITE_THREAD === "worker" ? "worker" : "inline",
    );
    await migrate(database);
    return database;
  })();
  return shared;
}

export async function testDb(): Promise<Db> {
  return (await testDatabase()).db;
}

export interface TestWorkspace {
  db: Db;
  id: number;
  slug: string;
}

/** A fresh workspace, optionally configured with a workspace file (SPEC section 7). */
export async function freshWorkspace(config?: unknown): Promise<TestWorkspace> {
  const db = await testDb();
  const slug = `t-${randomBytes(5).toString("hex")}`;
  const ws = await createWorkspace(db, { slug });
  if (config) await applyWorkspaceConfig(db, ws.id, config);
  return { db, id: ws.id, slug };
}

/**
 * After a test's bulk load: the rollups count the queued events now (as `tl import` does, not within the first
 * test's time), and the tables are analyzed, as the app's applier and `tl import` do on the embedded database.
 * PGlite has no autovacuum, and the one database a worker's files share grows with every file: on statistics from
 * when it was nearly empty, the raw-event reference of a filtered 90-day daily view took 23 s instead of 1.5 s, and
 * filtered dormant data 72-232 s instead of 1-2 s. On PostgreSQL and Citus autovacuum gets there, but not always
 * before the next test: on Citus the same reference once took 68 s instead of 1 s.
 */
export async function afterBulkLoad(db: Db, workspaceId: number): Promise<void> {
  await catchUpMetricState(db, workspaceId);
  await analyzeTables(db);
}

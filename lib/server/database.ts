import "server-only";
import { dataDir, migrate, openConfigured, type Database, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { EMBEDDED_ANALYZE_EVERY, RollupScheduler } from "@/lib/metrics/state/scheduler";
import { acquireLock } from "./lock";
import { ReadGate } from "./reads";

export interface AppDatabase {
  database: Database;
  release: () => void;
  /** Keeps the metric rollups caught up in the background: every accepted batch is reported to it. */
  rollups: RollupScheduler;
  /** Dashboard and API metric reads: their queue, budget and cancellation. */
  reads: ReadGate;
}

function handle(database: Database, release: () => void): AppDatabase {
  return {
    database,
    release,
    // PGlite: background transactions of about 150 ms, so that nothing waits longer behind one, and
    // ANALYZE after every EMBEDDED_ANALYZE_EVERY events applied (it has no autovacuum).
    rollups:
      database.kind === "pglite"
        ? new RollupScheduler(database.db, 150, EMBEDDED_ANALYZE_EVERY)
        : new RollupScheduler(database.db),
    // The pool the database was opened with (a test's is smaller than the app's TL_DB_POOL): a gate with more slots
    // than connections lets its reads take every connection, and the next sign-in or write waits for one forever.
    reads: new ReadGate(database, database.poolSize ?? env().TL_DB_POOL),
  };
}

const globalForDb = globalThis as unknown as { trustledgerDb?: Promise<AppDatabase> };

/** The app's one database handle, migrated on first use (cached on globalThis across dev reloads). */
export function appDatabase(): Promise<AppDatabase> {
  if (globalForDb.trustledgerDb) return globalForDb.trustledgerDb;
  // Assigned before the work below can end (it awaits first): its failure and loss compare with it.
  let opened: Promise<AppDatabase> | undefined = undefined;
  opened = (async () => {
    const release = env().DATABASE_URL
      ? () => {}
      : acquireLock(dataDir(), { role: "app", url: process.env.TL_PUBLIC_URL });
    let app: AppDatabase | undefined;
    // The embedded database's thread ended (a crash of PGlite): let the next request open it again
    // (PGlite recovers the data directory as after a power cut) instead of failing until a restart.
    const lost = (error: Error) => {
      log("error", "embedded database lost: the next request opens it again", errorFields(error));
      if (globalForDb.trustledgerDb === opened) globalForDb.trustledgerDb = undefined;
      void app?.rollups.stop();
      release();
    };
    try {
      const database = await openConfigured("worker", lost);
      await migrate(database);
      app = handle(database, release);
      return app;
    } catch (e) {
      release();
      if (globalForDb.trustledgerDb === opened) globalForDb.trustledgerDb = undefined;
      throw e;
    }
  })();
  globalForDb.trustledgerDb = opened;
  return opened;
}

/** Tests hand the app's route handlers their own database (PGlite in memory or the CI server). */
export function useDatabaseForTests(database: Database): AppDatabase {
  const app = handle(database, () => {});
  globalForDb.trustledgerDb = Promise.resolve(app);
  return app;
}

export async function getDb(): Promise<Db> {
  return (await appDatabase()).database.db;
}

let inFlight = 0;
let drained: (() => void) | undefined;
let closing = false;

/** Counts work that must finish before shutdown (ingest batches); refuses new work once shutdown began. */
export async function track<T>(work: () => Promise<T>): Promise<T> {
  if (closing)
    throw new AppError("unavailable", "the server is shutting down; retry the batch with the same ids");
  inFlight++;
  try {
    return await work();
  } finally {
    inFlight--;
    if (inFlight === 0) drained?.();
  }
}

export async function shutdownDatabase(timeoutMs = 20_000): Promise<void> {
  closing = true;
  if (inFlight > 0) {
    await Promise.race([
      new Promise<void>((r) => (drained = r)),
      new Promise<void>((r) => setTimeout(r, timeoutMs)),
    ]);
  }
  const current = globalForDb.trustledgerDb;
  if (!current) return;
  const { database, release, rollups } = await current;
  await rollups.stop();
  await database.close();
  release();
  globalForDb.trustledgerDb = undefined;
}

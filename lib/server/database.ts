import "server-only";
import { dataDir, migrate, openConfigured, type Database, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { stopCatchUps } from "@/lib/metrics/state/apply";
import { acquireLock } from "./lock";

interface AppDatabase {
  database: Database;
  release: () => void;
}

const globalForDb = globalThis as unknown as { trustledgerDb?: Promise<AppDatabase> };

/** The app's one database handle, migrated on first use (cached on globalThis across dev reloads). */
export function appDatabase(): Promise<AppDatabase> {
  globalForDb.trustledgerDb ??= (async () => {
    const release = env().DATABASE_URL
      ? () => {}
      : acquireLock(dataDir(), { role: "app", url: process.env.TL_PUBLIC_URL });
    try {
      const database = await openConfigured();
      await migrate(database);
      return { database, release };
    } catch (e) {
      release();
      globalForDb.trustledgerDb = undefined;
      throw e;
    }
  })();
  return globalForDb.trustledgerDb;
}

/** Tests hand the app's route handlers their own database (PGlite in memory or the CI server). */
export function useDatabaseForTests(database: Database): void {
  globalForDb.trustledgerDb = Promise.resolve({ database, release: () => {} });
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
  await stopCatchUps();
  const { database, release } = await current;
  await database.close();
  release();
  globalForDb.trustledgerDb = undefined;
}

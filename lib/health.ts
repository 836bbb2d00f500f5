import "server-only";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { migrationsFolder, rows, type Database } from "@/db/client";

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

interface Migrations {
  applied: number;
  shipped: number;
  latest: string | null;
  current: boolean;
}

/**
 * The embedded database answers one statement at a time: a health check waits this long for its
 * own, then answers from the database thread's activity (`Database.busyFor`).
 */
export const HEALTH_PROBE_WAIT_MS = 50;
/** A database thread that has not answered anything for this long is reported unavailable. */
export const HEALTH_STALL_MS = 30_000;

/** Migration state of each database at its last answered check (the embedded one is this process's alone). */
const lastMigrations = new WeakMap<Database, Migrations>();

/** The check waiting for the database, if one is: health checks meanwhile share it rather than queue more. */
const probes = new WeakMap<Database, Promise<Migrations>>();

function probe(database: Database): Promise<Migrations> {
  let asked = probes.get(database);
  if (!asked) {
    asked = migrations(database).finally(() => probes.delete(database));
    probes.set(database, asked);
  }
  return asked;
}

async function migrations(database: Database): Promise<Migrations> {
  const applied = await rows<{ n: number | string }>(
    database.db,
    sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`,
  );
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"),
  ) as Journal;
  const latest = journal.entries.at(-1);
  const appliedCount = Number(applied[0]?.n ?? 0);
  const state = {
    applied: appliedCount,
    shipped: journal.entries.length,
    latest: latest?.tag ?? null,
    current: appliedCount === journal.entries.length,
  };
  lastMigrations.set(database, state);
  return state;
}

/**
 * Database reachability and which migration it is at, compared with the migrations this build ships.
 * On a server the check is a query. On the embedded database (its own thread, one statement at a
 * time) a check that is not answered within `HEALTH_PROBE_WAIT_MS` because the thread is at work on
 * a dashboard read or the rollups answers `busy_ms` (how long since the thread last answered) and
 * the migration state of its last check, instead of queueing behind that work; a thread silent for
 * `HEALTH_STALL_MS` (or with no answered check within it) is an error (503). Checks made while one
 * waits share it.
 */
export async function databaseHealth(database: Database, stallMs = HEALTH_STALL_MS) {
  const started = performance.now();
  const asked = probe(database);
  if (database.busyFor) {
    // Without an answered check yet there is no migration state to give: wait for one, up to the stall limit.
    const known = lastMigrations.get(database);
    const answered = await Promise.race([
      asked,
      delay(known ? HEALTH_PROBE_WAIT_MS : stallMs).then(() => undefined),
    ]);
    if (!answered) {
      asked.catch(() => {});
      const busy = database.busyFor();
      if (!known || busy >= stallMs)
        throw new Error(`the embedded database has not answered for ${(busy / 1000).toFixed(1)} s`);
      return {
        database: { reachable: true, kind: database.kind, latency_ms: null, busy_ms: Math.round(busy) },
        migrations: known,
      };
    }
  }
  const state = await asked;
  return {
    database: { reachable: true, kind: database.kind, latency_ms: Math.round(performance.now() - started) },
    migrations: state,
  };
}

import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A database handle or a transaction on one: every query function takes it first. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** The server's URL (postgres only): migrations open a connection of their own with it. */
  url?: string;
  /** Connections in the pool (postgres only): the read gate leaves two of them to writes and sign-in. */
  poolSize?: number;
  /**
   * Embedded database on its own thread: how long it has been working without answering (0 when
   * idle). A health check uses it to tell a busy database from one that stopped answering.
   */
  busyFor?: () => number;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export function dataDir(): string {
  // A directory chosen at run time: the bundler is told not to trace (copy) the project for it.
  return path.resolve(/*turbopackIgnore: true*/ env().TL_DATA_DIR ?? path.join(process.cwd(), ".data"));
}

/** Rows of a raw SQL statement, the same shape on postgres.js and PGlite. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** `settings`: server settings of every connection (the tests make Citus refuse multi-shard statements). */
export async function openPostgres(
  url: string,
  max = env().TL_DB_POOL,
  settings: Record<string, string> = {},
): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, {
    max,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    // No JIT: the rollup reads are many cheap index seeks that the planner costs high, so JIT
    // compiled them on every call (0.7 s of a 1 s read measured) for no gain.
    connection: { jit: "off", ...settings },
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: "postgres", url, poolSize: max, close: () => client.end({ timeout: 5 }) };
}

/**
 * Embedded PostgreSQL. `dir` undefined means in memory (tests). `thread`: "worker" runs PGlite on a
 * thread of its own (the app server: its statements then never hold the server's requests);
 * "inline" on this one (the CLI: no copy of every row between threads). `onLost` (worker): the thread ended.
 */
export async function openPglite(
  dir?: string,
  thread: "inline" | "worker" = "inline",
  onLost?: (error: Error) => void,
): Promise<Database> {
  const { drizzle } = await import("drizzle-orm/pglite");
  if (dir) fs.mkdirSync(dir, { recursive: true });
  if (thread === "worker") {
    const { PGliteRemote } = await import("./pglite-remote");
    const client = new PGliteRemote(dir, onLost);
    try {
      await client.waitReady;
    } catch (e) {
      await client.close();
      throw e;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the part of PGlite drizzle calls
    const db = drizzle({ client: client as any, schema }) as unknown as Db;
    return { db, kind: "pglite", busyFor: () => client.busyFor(), close: () => client.close() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const client = dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}

/** Advisory lock key of migrations: app instances and CLI commands starting together migrate one at a time. */
const MIGRATE_LOCK = 0x746c6d67;

/**
 * Applies the migrations, then (on a Citus coordinator) distributes the tables (`db/distribute.ts`).
 * On a server, on a connection of its own holding a session advisory lock, so several app
 * instances starting at once neither race nor see a half-migrated schema.
 */
export async function migrate(database: Database): Promise<void> {
  const { distributeSchema } = await import("./distribute");
  if (database.kind === "pglite") {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await run(database.db as any, { migrationsFolder });
    await distributeSchema(database.db);
    return;
  }
  if (!database.url) throw new Error("migrate: a server database needs its URL");
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate: run } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzle(client, { schema }) as unknown as Db;
    await client`SELECT pg_advisory_lock(${MIGRATE_LOCK})`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await run(db as any, { migrationsFolder });
    await distributeSchema(db);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Opens the configured database: DATABASE_URL → that server, else PGlite in TL_DATA_DIR or .data/
 * (on a worker thread for the app server, see `openPglite`).
 */
export async function openConfigured(
  thread: "inline" | "worker" = "inline",
  onLost?: (error: Error) => void,
): Promise<Database> {
  const url = env().DATABASE_URL;
  return url ? openPostgres(url) : openPglite(dataDir(), thread, onLost);
}

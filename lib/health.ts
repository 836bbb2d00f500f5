import "server-only";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrationsFolder, rows, type Database } from "@/db/client";

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

/** Database reachability and which migration it is at, compared with the migrations this build ships. */
export async function databaseHealth(database: Database) {
  const started = performance.now();
  const applied = await rows<{ n: number | string; created_at: string | number | null }>(
    database.db,
    sql`SELECT count(*) AS n, max(created_at) AS created_at FROM drizzle.__drizzle_migrations`,
  );
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"),
  ) as Journal;
  const latest = journal.entries.at(-1);
  const appliedCount = Number(applied[0]?.n ?? 0);
  return {
    database: { reachable: true, kind: database.kind, latency_ms: Math.round(performance.now() - started) },
    migrations: {
      applied: appliedCount,
      shipped: journal.entries.length,
      latest: latest?.tag ?? null,
      current: appliedCount === journal.entries.length,
    },
  };
}

import { dataDir, migrate, openConfigured, type Database } from "@/db/client";
import type { RollupCatchUp } from "@/lib/ingest/entry";
import { env } from "@/lib/env";
import { EMBEDDED_ANALYZE_EVERY } from "@/lib/metrics/state/scheduler";
import { acquireLock } from "@/lib/server/lock";

export interface CliContext {
  database: Database;
  close(): Promise<void>;
}

/** Opens the configured database for one CLI command, holding the embedded database's lock, migrated. */
export async function openCli(): Promise<CliContext> {
  const release = env().DATABASE_URL ? () => {} : acquireLock(dataDir(), { role: "cli" });
  try {
    const database = await openConfigured();
    await migrate(database);
    return {
      database,
      close: async () => {
        await database.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function requireOption(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || !v) throw new UsageError(`--${name} is required`);
  return v;
}

/**
 * The rollups catch up before the command ends, on a line of their own; on the embedded database
 * (no autovacuum) a large import is then analyzed, so the app's first reads are planned on its size.
 */
export const rollupsNow = (progress?: (line: string) => void): RollupCatchUp => ({
  mode: "now",
  onStart: () => progress?.("\n"),
  progress: (n) => progress?.(`metric rollups: ${n} events applied`),
  analyzeAfter: env().DATABASE_URL ? undefined : EMBEDDED_ANALYZE_EVERY,
});

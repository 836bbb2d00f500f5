import "server-only";
import { env } from "@/lib/env";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/**
 * One JSON object per line on stdout. Never pass keys, passwords, subject ids, request bodies or
 * raw paths here: requests are logged by route template (lib/http.ts), errors by `errorFields`.
 */
export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < ORDER[env().TL_LOG_LEVEL]) return;
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n");
}

/**
 * An error as a log line may carry it: its class and the SQLSTATE or Node error code. Never its
 * message or stack: a failed query's message holds the query's parameters (a whole batch of subject
 * ids and properties), and a database error's message or detail can quote a stored value.
 */
export function errorFields(e: unknown): { error: string; code?: string } {
  if (!(e instanceof Error)) return { error: typeof e };
  const cause = (e as { cause?: unknown }).cause;
  const code = [e, cause]
    .map((x) => (x && typeof x === "object" ? (x as { code?: unknown }).code : undefined))
    .find((c) => typeof c === "string");
  const name = cause instanceof Error ? `${e.name} (${cause.name})` : e.name;
  return { error: name, ...(typeof code === "string" ? { code } : {}) };
}

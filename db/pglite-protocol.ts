/** Messages between the app and the embedded database's thread (`pglite-worker.ts`, `pglite-remote.ts`). */
export type Request =
  | {
      id: number;
      op: "query";
      tx?: number;
      sql: string;
      params?: unknown[];
      rowMode?: "array" | "object";
      /** Type OIDs to return as PostgreSQL's text (drizzle's date and time parsers are identities). */
      rawTypes: number[];
    }
  | { id: number; op: "exec"; tx?: number; sql: string }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "close" };

/** `id` 0 is the worker's first message: ready, or why the database did not open. */
export interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; name?: string; fields?: Record<string, unknown> };
}

import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Window } from "../plan";

// Building blocks of the reference implementation: plain SQL over the raw events, exact by
// construction, used where the rollups do not reach and as the baseline they are tested against.

export const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

/** The windows as a table `w(i, s, e)`: an event belongs to window i when s <= occurred_at < e. */
export function windowsTable(windows: Window[]): SQL {
  const json = JSON.stringify(
    windows.map((w) => ({ i: w.i, s: w.start.toISOString(), e: w.end.toISOString() })),
  );
  return sql`jsonb_to_recordset(${json}::jsonb) AS w(i int, s timestamptz, e timestamptz)`;
}

export type SubjectAttribute = "region" | "channel";

export interface SubjectFilters {
  region?: string;
  channel?: string;
}

/** The events that decide a subject's attributes: up to the end of the period (`to`, or `at` inclusive). */
export type AttributeCutoff = { before: Date } | { atOrBefore: Date };

const cutoffCondition = (c: AttributeCutoff): SQL =>
  "before" in c ? sql`occurred_at < ${ts(c.before)}` : sql`occurred_at <= ${ts(c.atOrBefore)}`;

/** (subject, value): each subject's latest non-empty region or channel, in event order. */
export function latestAttribute(
  workspaceId: number,
  attribute: SubjectAttribute,
  cutoff: AttributeCutoff,
): SQL {
  const column = sql.raw(attribute);
  return sql`SELECT DISTINCT ON (subject) subject, ${column} AS value FROM events
    WHERE workspace_id = ${workspaceId} AND subject IS NOT NULL AND ${column} IS NOT NULL AND ${cutoffCondition(cutoff)}
    ORDER BY subject, occurred_at DESC, seq DESC`;
}

/** `AND <column> IN (subjects whose latest region/channel is the filter's)`, or nothing without a filter. */
export function subjectFilter(
  workspaceId: number,
  filters: SubjectFilters,
  cutoff: AttributeCutoff,
  column: SQL,
): SQL {
  const parts: SQL[] = [];
  for (const attribute of ["region", "channel"] as const) {
    const wanted = filters[attribute];
    if (wanted === undefined) continue;
    parts.push(
      sql` AND ${column} IN (SELECT a.subject FROM (${latestAttribute(workspaceId, attribute, cutoff)}) a WHERE a.value = ${wanted})`,
    );
  }
  return sql.join(parts, sql``);
}

/** `w AS (…)`: the windows as a common table expression. */
export const windowsCte = (windows: Window[]): SQL =>
  sql`w AS MATERIALIZED (SELECT * FROM ${windowsTable(windows)})`;

/** The filters of a per-purpose metric on events `e`: the purpose, and the subjects of a region or channel filter. */
export interface EventFilters extends SubjectFilters {
  purpose?: string;
  to: Date;
}

export const eventFilters = (workspaceId: number, p: EventFilters): SQL =>
  sql`${purposeCondition(p.purpose)}${subjectFilter(workspaceId, p, { before: p.to }, sql`e.subject`)}`;

export const purposeCondition = (purpose: string | undefined, column: SQL = sql`e.purpose`): SQL =>
  purpose === undefined ? sql`` : sql` AND ${column} = ${purpose}`;

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

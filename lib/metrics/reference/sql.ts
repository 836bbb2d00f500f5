import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
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

/**
 * `AND` the subject's latest non-empty region/channel at or before `at` are the filters', looked up
 * per subject (its own index range, newest first): for checking a few events' subjects, where
 * `subjectFilter` would first find every subject's values.
 */
export function attributesAt(
  workspaceId: number,
  filters: SubjectFilters,
  at: SQL,
  subject: SQL,
  /** "before": the events strictly before `at` decide (a period's end `to`), as `{ before: to }` does. */
  bound: "atOrBefore" | "before" = "atOrBefore",
): SQL {
  const upTo = bound === "before" ? sql`<` : sql`<=`;
  const parts: SQL[] = [];
  for (const attribute of ["region", "channel"] as const) {
    const wanted = filters[attribute];
    if (wanted === undefined) continue;
    const column = sql.raw(`a.${attribute}`);
    parts.push(
      sql` AND (SELECT ${column} FROM events a WHERE a.workspace_id = ${workspaceId} AND a.subject = ${subject}
                  AND ${column} IS NOT NULL AND a.occurred_at ${upTo} ${at}
                ORDER BY a.occurred_at DESC, a.seq DESC LIMIT 1) = ${wanted}`,
    );
  }
  return sql.join(parts, sql``);
}

/**
 * The instants where each subject's region or channel holds `value`: from a non-empty event with
 * that value (`vf`) until the next non-empty event, in event order (`vt`, null for the last).
 */
function valueSpans(workspaceId: number, attribute: SubjectAttribute, value: string): SQL {
  const column = sql.raw(attribute);
  return sql`SELECT a.subject, a.vf, a.vt FROM (
      SELECT subject, ${column} AS value, occurred_at AS vf,
        lead(occurred_at) OVER (PARTITION BY subject ORDER BY occurred_at, seq) AS vt
      FROM events WHERE workspace_id = ${workspaceId} AND subject IS NOT NULL AND ${column} IS NOT NULL) a
    WHERE a.value = ${value}`;
}

/** The region and channel filters of a query, with its workspace. */
export interface WindowFilters extends SubjectFilters {
  workspaceId: number;
}

/** A query's region/channel filters with its workspace, for `windowsCte`. */
export const windowFilters = (workspaceId: number, p: SubjectFilters): WindowFilters => ({
  workspaceId,
  region: p.region,
  channel: p.channel,
});

const hasSubjectFilter = (f: SubjectFilters): boolean => f.region !== undefined || f.channel !== undefined;

/**
 * `fs AS (…)`: (i, subject) of the subjects whose region and channel at the end of window i of `w`
 * are the filters' (SPEC 4: in a bucket, "the period" is the bucket). Expects `w` before it.
 */
function filteredSubjectsCte(f: WindowFilters): SQL {
  const sets = (["region", "channel"] as const).flatMap((attribute) => {
    const wanted = f[attribute];
    if (wanted === undefined) return [];
    return [
      sql`SELECT w.i, a.subject FROM w JOIN (${valueSpans(f.workspaceId, attribute, wanted)}) a
          ON a.vf < w.e AND (a.vt IS NULL OR a.vt >= w.e)`,
    ];
  });
  return sql`fs AS MATERIALIZED (${sql.join(sets, sql` INTERSECT `)})`;
}

/** `AND` subject is kept in window i by the region/channel filters (`fs` of `windowsCte`), or nothing without them. */
export const keptInWindow = (f: SubjectFilters, i: SQL, subject: SQL): SQL =>
  hasSubjectFilter(f)
    ? sql` AND EXISTS (SELECT 1 FROM fs WHERE fs.i = ${i} AND fs.subject = ${subject})`
    : sql``;

/**
 * `w AS (…)`: the windows as a common table expression, followed by `fs` (`keptInWindow`) when
 * the query filters by region or channel.
 */
export const windowsCte = (windows: Window[], filters?: WindowFilters): SQL =>
  filters && hasSubjectFilter(filters)
    ? sql`w AS MATERIALIZED (SELECT * FROM ${windowsTable(windows)}), ${filteredSubjectsCte(filters)}`
    : sql`w AS MATERIALIZED (SELECT * FROM ${windowsTable(windows)})`;

/** `i|subject` of the subjects each window keeps under the region/channel filters, or null without them (for metrics counted in memory). */
export async function keptSubjects(
  db: Db,
  workspaceId: number,
  windows: Window[],
  f: SubjectFilters,
): Promise<Set<string> | null> {
  if (!hasSubjectFilter(f)) return null;
  const found = await rows<{ i: number; subject: string }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, f))} SELECT i, subject FROM fs`,
  );
  return new Set(found.map((r) => `${r.i}|${r.subject}`));
}

/** The filters of a per-purpose metric on events `e` joined to windows `w`: the purpose, and the region/channel of `fs`. */
export interface EventFilters extends SubjectFilters {
  purpose?: string;
  to: Date;
}

export const eventFilters = (p: EventFilters): SQL =>
  sql`${purposeCondition(p.purpose)}${keptInWindow(p, sql`w.i`, sql`e.subject`)}`;

export const purposeCondition = (purpose: string | undefined, column: SQL = sql`e.purpose`): SQL =>
  purpose === undefined ? sql`` : sql` AND ${column} = ${purpose}`;

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

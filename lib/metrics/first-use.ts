import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { DAY_MS, isoInstant } from "./buckets";
import { weightedMedian } from "./dsar";
import type { ResolvedParams } from "./params";
import { subjectFilter, ts } from "./reference/sql";
import { loadScope, reportedPurposes, type MetricOptions, type MetricScope } from "./scope";
import { UNKNOWN_CONTEXT } from "./state/first-use-rows";
import type { FirstUseCounts, FirstUseField, FirstUseResponse } from "./types";

export { UNKNOWN_CONTEXT };

type Field = MetricScope["fields"][number];

/**
 * First use (SPEC 4): per field, the subjects whose first collection of it ever falls in the
 * period, and how long until its first use (subject-level or bulk, at or after the collection,
 * up to `at`, which defaults to `to`): used within the field's dormancy window, never used, the
 * median days, and the same counts by the journey step of the first collection. With a purpose
 * filter: the fields that serve it; region and channel: the subjects' latest values before `to`.
 * Read from `metric_first_use` when the workspace's rollups are complete (exact for any instants
 * and the dormancy windows configured now), else from the raw events.
 */
export async function firstUse(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<FirstUseResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  if (params.purpose !== undefined) reportedPurposes(scope, params.purpose);
  if (options.path !== "reference") {
    const fast = await firstUseFromState(db, scope, params);
    if (fast) return fast;
  }
  return firstUseFromEvents(db, scope, params);
}

const fieldsOf = (scope: MetricScope, params: ResolvedParams): Field[] =>
  scope.fields.filter((f) => params.purpose === undefined || f.purposes.includes(params.purpose));
const atOf = (params: ResolvedParams): Date => (params.atGiven ? params.at : params.to);

/** Per field and context of the first collection the counts; per field (context null) the median delay (ms). */
interface Tallied {
  field: string;
  context: string | null;
  collected: unknown;
  within: unknown;
  never: unknown;
  /** On the per-field row: the median delay (the mean of the two middle ones for an even count). */
  median: unknown;
}

/**
 * From the first-use rows: one pass over the rows whose collection is in the period (an index-only
 * range per field on `metric_first_use_period`), the first bulk use at or after each collection
 * found by binary search in the field's bulk uses up to `at` (`width_bucket`), the counts per
 * context and per field, and each field's median delay (`percentile_cont(0.5)`: the middle value,
 * or the mean of the two middle ones, as SPEC 4 takes a median) in the same aggregation.
 * Null when the rollups are not complete (or not at this version).
 */
export async function firstUseFromState(
  db: Db,
  scope: MetricScope,
  params: ResolvedParams,
): Promise<FirstUseResponse | null> {
  if (!scope.rollupsReady) return null;
  const at = atOf(params);
  const fields = fieldsOf(scope, params);
  const to = params.to.getTime();
  const windows = JSON.stringify(fields.map((f) => ({ field: f.key, window_ms: f.dormancyDays * DAY_MS })));
  const found = fields.length
    ? await rows<Tallied>(
        db,
        sql`WITH f AS (SELECT * FROM jsonb_to_recordset(${windows}::jsonb) AS f(field text, window_ms bigint)),
            bulk AS (
              SELECT u.field, array_agg(DISTINCT u.t ORDER BY u.t) AS uses
              FROM (SELECT e.field, round(extract(epoch FROM e.occurred_at) * 1000)::bigint AS t
                    FROM events e
                    WHERE e.workspace_id = ${scope.workspaceId} AND e.subject IS NULL AND e.type = 'data.used'
                      AND e.field IN (SELECT field FROM f) AND e.occurred_at <= ${ts(at)}) u
              GROUP BY u.field)
            SELECT k.field, CASE WHEN grouping(k.context) = 0 THEN k.context END AS context,
              count(*) AS collected, count(*) FILTER (WHERE k.d <= k.window_ms) AS within,
              count(*) FILTER (WHERE k.d IS NULL) AS never,
              CASE WHEN grouping(k.context) = 1 THEN percentile_cont(0.5) WITHIN GROUP (ORDER BY k.d) END AS median
            FROM (
              SELECT r.field, r.context, f.window_ms,
                least(CASE WHEN r.used_at <= ${at.getTime()}::bigint THEN r.used_at END,
                      b.uses[width_bucket(r.collected_at - 1, b.uses) + 1]) - r.collected_at AS d
              FROM f JOIN metric_first_use r ON r.field = f.field
              LEFT JOIN bulk b ON b.field = r.field
              WHERE r.workspace_id = ${scope.workspaceId}
                AND r.collected_at >= ${params.from.getTime()}::bigint AND r.collected_at < ${to}::bigint
                AND r.vf < ${to}::bigint AND r.vt >= ${to}::bigint
                ${params.region === undefined ? sql`` : sql`AND r.region = ${params.region}`}
                ${params.channel === undefined ? sql`` : sql`AND r.channel = ${params.channel}`}) k
            GROUP BY GROUPING SETS ((k.field, k.context), (k.field))`,
      )
    : [];
  return {
    ...header(params, at),
    fields: fields.map((f): FirstUseField => {
      const own = found.filter((r) => r.field === f.key && r.context !== null);
      const whole = found.find((r) => r.field === f.key && r.context === null);
      const counts = (list: Tallied[]): FirstUseCounts => ({
        collected: list.reduce((s, r) => s + Number(r.collected), 0),
        used_within_window: list.reduce((s, r) => s + Number(r.within), 0),
        never_used: list.reduce((s, r) => s + Number(r.never), 0),
      });
      const contexts = own.map((r) => r.context as string).sort();
      return {
        field: f.key,
        ...counts(own),
        median_days_to_first_use:
          whole?.median === null || whole?.median === undefined ? null : Number(whole.median) / DAY_MS,
        by_context: Object.fromEntries(contexts.map((c) => [c, counts(own.filter((r) => r.context === c))])),
      };
    }),
  };
}

const header = (params: ResolvedParams, at: Date) => ({
  metric: "first-use" as const,
  from: isoInstant(params.from),
  to: isoInstant(params.to),
  at: isoInstant(at),
});

/** The reference: from the raw events, two indexed lookups per first collection. */
export async function firstUseFromEvents(
  db: Db,
  scope: MetricScope,
  params: ResolvedParams,
): Promise<FirstUseResponse> {
  const workspaceId = scope.workspaceId;
  const at = atOf(params);
  const fields = fieldsOf(scope, params);
  const found = fields.length
    ? await rows<{ field: string; context: string; days: unknown }>(
        db,
        sql`WITH k AS MATERIALIZED (
              SELECT DISTINCT ON (e.field, e.subject) e.field, e.subject, e.occurred_at AS c, coalesce(e.context, ${UNKNOWN_CONTEXT}) AS context
              FROM events e
              WHERE e.workspace_id = ${workspaceId} AND e.type = 'data.collected' AND e.subject IS NOT NULL
                AND e.field IN (SELECT jsonb_array_elements_text(${JSON.stringify(fields.map((f) => f.key))}::jsonb))
                ${subjectFilter(workspaceId, params, { before: params.to }, sql`e.subject`)}
              ORDER BY e.field, e.subject, e.occurred_at, e.seq)
            SELECT k.field, k.context,
              extract(epoch FROM (SELECT min(u.occurred_at) FROM events u
                 WHERE u.workspace_id = ${workspaceId} AND u.type = 'data.used' AND u.field = k.field
                   AND (u.subject = k.subject OR u.subject IS NULL) AND u.occurred_at >= k.c AND u.occurred_at <= ${ts(at)}) - k.c) * 1000 AS days
            FROM k WHERE k.c >= ${ts(params.from)} AND k.c < ${ts(params.to)}`,
      )
    : [];
  return {
    ...header(params, at),
    fields: fields.map((f) => {
      const own = found.filter((r) => r.field === f.key);
      const tally = (list: typeof own): FirstUseCounts => ({
        collected: list.length,
        used_within_window: list.filter((r) => r.days !== null && Number(r.days) <= f.dormancyDays * DAY_MS)
          .length,
        never_used: list.filter((r) => r.days === null).length,
      });
      const contexts = [...new Set(own.map((r) => r.context))].sort();
      const used = own.filter((r) => r.days !== null).map((r): [number, number] => [Number(r.days), 1]);
      const median = weightedMedian(used);
      return {
        field: f.key,
        ...tally(own),
        median_days_to_first_use: median === null ? null : median / DAY_MS,
        by_context: Object.fromEntries(contexts.map((c) => [c, tally(own.filter((r) => r.context === c))])),
      };
    }),
  };
}

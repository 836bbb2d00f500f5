import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { DAY_MS, isoInstant } from "./buckets";
import { weightedMedian } from "./dsar";
import type { ResolvedParams } from "./params";
import { subjectFilter, ts } from "./reference/sql";
import { loadScope, reportedPurposes, type MetricOptions } from "./scope";
import type { FirstUseCounts, FirstUseResponse } from "./types";

/** The context of a first collection without one. */
export const UNKNOWN_CONTEXT = "unknown";

/**
 * First use (SPEC 4): per field, the subjects whose first collection of it ever falls in the
 * period, and how long until its first use (subject-level or bulk, at or after the collection,
 * up to `at`, which defaults to `to`): used within the field's dormancy window, never used, the
 * median days, and the same counts by the journey step of the first collection. With a purpose
 * filter: the fields that serve it. Read from the raw events (two indexed lookups per field).
 */
export async function firstUse(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<FirstUseResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  if (params.purpose !== undefined) reportedPurposes(scope, params.purpose);
  const at = params.atGiven ? params.at : params.to;
  const fields = scope.fields.filter(
    (f) => params.purpose === undefined || f.purposes.includes(params.purpose),
  );
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
    metric: "first-use",
    from: isoInstant(params.from),
    to: isoInstant(params.to),
    at: isoInstant(at),
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

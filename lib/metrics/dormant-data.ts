import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { dayNumber, isoInstant, startOfDay } from "./buckets";
import type { ResolvedParams } from "./params";
import { rate } from "./plan";
import { num, subjectFilter, ts, type AttributeCutoff, type SubjectFilters } from "./reference/sql";
import { list } from "./rollup/query";
import { dormantSql } from "./rules/holdings";
import { BULK_USE_MEASURE, DORMANT_MEASURE, HOLDING_MEASURE } from "./state/measures";
import { loadScope, reportedPurposes, type MetricOptions, type MetricScope } from "./scope";
import type { DormantDataResponse } from "./types";

export interface Holdings {
  field: string;
  holdings: number;
  dormant: number;
  last_used_at: string | null;
}

type FieldWindow = { key: string; days: number };

/**
 * Holdings and dormant data per field at `at` (SPEC 4). With a `purpose` filter: the fields that
 * serve that purpose in the workspace configuration, each with its dormancy as defined.
 */
export async function dormantData(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<DormantDataResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  if (params.purpose !== undefined) reportedPurposes(scope, params.purpose);
  const fields = scope.fields.filter(
    (f) => params.purpose === undefined || f.purposes.includes(params.purpose),
  );
  const [found] = await holdingsAt(
    db,
    scope,
    [params.at],
    { ...params, cutoff: { atOrBefore: params.at } },
    fields.map((f) => ({ key: f.key, days: f.dormancyDays })),
    options,
  );
  return {
    metric: "dormant-data",
    at: isoInstant(params.at),
    fields: (found ?? []).map((h) => ({
      field: h.field,
      holdings: h.holdings,
      dormant: h.dormant,
      dormant_share: rate(h.dormant, h.holdings),
      last_used_at: h.last_used_at,
    })),
  };
}

/**
 * Holdings per field at each instant, in the order of `fields`: from the rollups at day boundaries
 * for the fields whose rollups were built with their configured window, else from the raw events.
 */
export async function holdingsAt(
  db: Db,
  scope: MetricScope,
  ats: Date[],
  filters: SubjectFilters & { cutoff: AttributeCutoff },
  fields: FieldWindow[],
  options: MetricOptions,
): Promise<Holdings[][]> {
  if (!fields.length) return ats.map(() => []);
  const useRollups =
    options.path !== "reference" &&
    scope.rollupsReady &&
    filters.region === undefined &&
    filters.channel === undefined;
  const rolled = useRollups ? fields.filter((f) => scope.rollupWindows[f.key] === f.days) : [];
  const aligned = ats.filter((at) => startOfDay(at).getTime() === at.getTime());
  const [fromRollups, lastUsed, fromEvents] = await Promise.all([
    rolled.length && aligned.length
      ? holdingsFromRollups(db, scope.workspaceId, aligned, rolled)
      : new Map<number, Map<string, Counts>>(),
    lastUsedAt(db, scope.workspaceId, ats, filters, fields),
    Promise.all(
      ats.map((at) => {
        const missing = fields.filter((f) => !aligned.includes(at) || !rolled.includes(f));
        return missing.length
          ? holdingsFromEvents(db, scope.workspaceId, at, filters, missing)
          : new Map<string, Counts>();
      }),
    ),
  ]);
  return ats.map((at, i) => {
    const counts = new Map([...(fromRollups.get(dayNumber(at.getTime())) ?? []), ...(fromEvents[i] ?? [])]);
    return fields.map((f) => ({
      field: f.key,
      holdings: counts.get(f.key)?.holdings ?? 0,
      dormant: counts.get(f.key)?.dormant ?? 0,
      last_used_at: lastUsed.get(`${i}|${f.key}`) ?? null,
    }));
  });
}

interface Counts {
  holdings: number;
  dormant: number;
}

const fieldsTable = (fields: FieldWindow[]): SQL =>
  sql`jsonb_to_recordset(${JSON.stringify(fields)}::jsonb) AS f(key text, days int)`;
/** at − W in whole hours: interval days would follow the session's daylight saving time. */
const windowStart = (at: Date): SQL => sql`${ts(at)} - make_interval(hours => 24 * f.days)`;

async function holdingsFromEvents(
  db: Db,
  workspaceId: number,
  at: Date,
  filters: SubjectFilters & { cutoff: AttributeCutoff },
  fields: FieldWindow[],
): Promise<Map<string, Counts>> {
  const subjects = subjectFilter(workspaceId, filters, filters.cutoff, sql`e.subject`);
  const keys = list(fields.map((f) => f.key));
  const found = await rows<{ field: string; holdings: unknown; dormant: unknown }>(
    db,
    sql`WITH last AS (SELECT DISTINCT ON (e.subject, e.field) e.subject, e.field, e.type, e.occurred_at FROM events e
                      WHERE e.workspace_id = ${workspaceId} AND e.type IN ('data.collected', 'data.deleted') AND e.subject IS NOT NULL
                        AND e.field IN (${keys}) AND e.occurred_at <= ${ts(at)}${subjects}
                      ORDER BY e.subject, e.field, e.occurred_at DESC, e.seq DESC),
          h AS (SELECT subject, field, occurred_at AS collected_at FROM last WHERE type = 'data.collected'),
          u AS (SELECT e.subject, e.field, max(e.occurred_at) AS used_at FROM events e
                WHERE e.workspace_id = ${workspaceId} AND e.type = 'data.used' AND e.subject IS NOT NULL
                  AND e.field IN (${keys}) AND e.occurred_at <= ${ts(at)}${subjects}
                GROUP BY e.subject, e.field),
          bulk AS (SELECT e.field, max(e.occurred_at) AS used_at FROM events e
                   WHERE e.workspace_id = ${workspaceId} AND e.type = 'data.used' AND e.subject IS NULL AND e.field IN (${keys}) AND e.occurred_at <= ${ts(at)}
                   GROUP BY e.field)
        SELECT f.key AS field, count(h.subject) AS holdings,
          count(h.subject) FILTER (WHERE ${dormantSql({ collectedAt: sql`h.collected_at`, usedAt: sql`u.used_at`, bulkUsedAt: sql`b.used_at` }, windowStart(at))}) AS dormant
        FROM ${fieldsTable(fields)} LEFT JOIN h ON h.field = f.key LEFT JOIN u ON u.subject = h.subject AND u.field = h.field
          LEFT JOIN bulk b ON b.field = f.key
        GROUP BY f.key`,
  );
  return new Map(found.map((r) => [r.field, { holdings: num(r.holdings), dormant: num(r.dormant) }]));
}

/**
 * Holdings and dormant holdings at day boundary d are the sums of their rows up to d
 * (state/contributions.ts); a bulk use of the field in (d − W, d] makes none of them dormant.
 */
async function holdingsFromRollups(
  db: Db,
  workspaceId: number,
  ats: Date[],
  fields: FieldWindow[],
): Promise<Map<number, Map<string, Counts>>> {
  const days = ats.map((at) => dayNumber(at.getTime())).sort((a, b) => a - b);
  const found = await rows<{ measure: string; key: string; x: number; n: unknown }>(
    db,
    sql`SELECT measure, key, x, sum(n) AS n FROM metric_tally
        WHERE workspace_id = ${workspaceId} AND grain = 'day' AND measure IN (${list([HOLDING_MEASURE, DORMANT_MEASURE, BULK_USE_MEASURE])})
          AND key IN (${list(fields.map((f) => f.key))}) AND dim = '' AND x <= ${days[days.length - 1] ?? 0}
        GROUP BY measure, key, x ORDER BY x`,
  );
  const out = new Map<number, Map<string, Counts>>();
  for (const d of days) {
    const byField = new Map<string, Counts>();
    for (const f of fields) {
      const upTo = (measure: string, after = -Infinity) =>
        found
          .filter((r) => r.key === f.key && r.measure === measure && r.x > after && r.x <= d)
          .reduce((sum, r) => sum + num(r.n), 0);
      const bulk = upTo(BULK_USE_MEASURE, d - f.days) > 0;
      byField.set(f.key, { holdings: upTo(HOLDING_MEASURE), dormant: bulk ? 0 : upTo(DORMANT_MEASURE) });
    }
    out.set(d, byField);
  }
  return out;
}

/** The latest use of each field at or before each instant, subject-level or bulk, by `i|field`. */
async function lastUsedAt(
  db: Db,
  workspaceId: number,
  ats: Date[],
  filters: SubjectFilters & { cutoff: AttributeCutoff },
  fields: FieldWindow[],
): Promise<Map<string, string>> {
  const filtered = filters.region !== undefined || filters.channel !== undefined;
  const subjects = filtered
    ? sql` AND (e.subject IS NULL OR (TRUE${subjectFilter(workspaceId, filters, filters.cutoff, sql`e.subject`)}))`
    : sql``;
  const points = JSON.stringify(ats.map((at, i) => ({ i, at: at.toISOString() })));
  const found = await rows<{ i: number; field: string; last_used_at: unknown }>(
    db,
    sql`SELECT p.i, f.key AS field,
          (SELECT e.occurred_at FROM events e WHERE e.workspace_id = ${workspaceId} AND e.field = f.key AND e.type = 'data.used'
             AND e.occurred_at <= p.at${subjects} ORDER BY e.occurred_at DESC LIMIT 1) AS last_used_at
        FROM jsonb_to_recordset(${points}::jsonb) AS p(i int, at timestamptz) CROSS JOIN ${fieldsTable(fields)}`,
  );
  return new Map(
    found.flatMap((r) =>
      r.last_used_at ? [[`${r.i}|${r.field}`, isoInstant(new Date(r.last_used_at as string | Date))]] : [],
    ),
  );
}

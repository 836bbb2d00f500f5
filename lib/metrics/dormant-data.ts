import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { EVENT_TYPES } from "@/lib/events/contract";
import { DAY_MS, dayNumber, isoInstant, startOfDay } from "./buckets";
import type { ResolvedParams } from "./params";
import { rate } from "./plan";
import { attributesAt, num, subjectFilter, ts, type SubjectFilters } from "./reference/sql";
import { list, selection, tallyTable, validAt, type TallySelection } from "./rollup/query";
import { dormantSql } from "./rules/holdings";
import { NEG_INF, POS_INF } from "./state/intervals";
import { BULK_USE_MEASURE, DORMANT_MEASURE, HOLDING_MEASURE, SUBJECT_USE_MEASURE } from "./state/measures";
import { attributesOf, loadScope, reportedPurposes, type MetricOptions, type MetricScope } from "./scope";
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
    params,
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
 * Holdings per field at each instant, in the order of `fields`, with or without region/channel
 * filters (a subject's values up to the instant, inclusive): from the rollups at day boundaries
 * for the fields whose rollups were built with their configured window, else from the raw events.
 * `lastUse: false` leaves `last_used_at` null (the Trust Index does not show it).
 */
export async function holdingsAt(
  db: Db,
  scope: MetricScope,
  ats: Date[],
  filters: SubjectFilters,
  fields: FieldWindow[],
  options: MetricOptions,
  lastUse = true,
): Promise<Holdings[][]> {
  if (!fields.length) return ats.map(() => []);
  const useRollups = options.path !== "reference" && scope.rollupsReady;
  const rolled = useRollups ? fields.filter((f) => scope.rollupWindows[f.key] === f.days) : [];
  const aligned = (at: Date) => startOfDay(at).getTime() === at.getTime();
  // An instant inside a day: the rollups at the day's start, moved to the instant by the customers whose holding,
  // dormancy or attributes can differ between the two (`dayStartToInstant`), not a pass over every event.
  const [fromRollups, lastUsed, fromEvents, sinceDayStart] = await Promise.all([
    rolled.length
      ? holdingsFromRollups(db, scope.workspaceId, ats.map(startOfDay), rolled, attributesOf(filters))
      : new Map<number, Map<string, RolledCounts>>(),
    lastUse ? lastUsedAt(db, scope.workspaceId, ats, filters, fields, useRollups) : new Map<string, string>(),
    Promise.all(
      ats.map((at) => {
        const missing = fields.filter((f) => !rolled.includes(f));
        return missing.length
          ? holdingsFromEvents(db, scope.workspaceId, at, filters, missing)
          : new Map<string, Counts>();
      }),
    ),
    Promise.all(
      ats.map((at) =>
        rolled.length && !aligned(at)
          ? dayStartToInstant(db, scope.workspaceId, at, filters, rolled)
          : new Map<string, RolledCounts>(),
      ),
    ),
  ]);
  return ats.map((at, i) => {
    const rolledAt = new Map<string, Counts>();
    for (const [key, atDayStart] of fromRollups.get(dayNumber(at.getTime())) ?? []) {
      const change = sinceDayStart[i]?.get(key);
      const c = change
        ? {
            holdings: atDayStart.holdings + change.holdings,
            unbulked: atDayStart.unbulked + change.unbulked,
            bulkInWindow: change.bulkInWindow,
          }
        : atDayStart;
      rolledAt.set(key, { holdings: c.holdings, dormant: c.bulkInWindow ? 0 : c.unbulked });
    }
    const counts = new Map([...rolledAt, ...(fromEvents[i] ?? [])]);
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

/**
 * Holdings and dormant holdings as if no bulk use had happened (`unbulked`), with whether a bulk use of the field in
 * the window before the instant makes none of them dormant: the rollups' counts at a day boundary, or what changes
 * from a day's start to an instant in it.
 */
interface RolledCounts {
  holdings: number;
  unbulked: number;
  bulkInWindow: boolean;
}

const fieldsTable = (fields: FieldWindow[]): SQL =>
  sql`jsonb_to_recordset(${JSON.stringify(fields)}::jsonb) AS f(key text, days int)`;
/** at − W in whole hours: interval days would follow the session's daylight saving time. */
const windowStart = (at: Date): SQL => sql`${ts(at)} - make_interval(hours => 24 * f.days)`;

async function holdingsFromEvents(
  db: Db,
  workspaceId: number,
  at: Date,
  filters: SubjectFilters,
  fields: FieldWindow[],
): Promise<Map<string, Counts>> {
  const subjects = subjectFilter(workspaceId, filters, { atOrBefore: at }, sql`e.subject`);
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
 * From a day's start d0 to the instant t inside it (s0 = d0 − W, s = t − W; W ≥ 1 day, so s ≤ d0): the change in
 * holdings and in dormant holdings as if no bulk use had happened, and whether a bulk use in (s, t] blocks dormancy.
 * A customer's holding changes only through its own collections and deletions of the field in (d0, t]; its dormancy
 * (collected and last used by it at or before the window's start) also when its latest collection or use is in
 * (s0, s] — it turns dormant as the window moves past it; under a region or channel filter, its values too, through
 * any event in (d0, t]. Those customers' states at d0 and at t are taken from their own events (SPEC 4's rule, as the
 * raw-event path takes it) and their difference added to the rollups' counts at d0; everyone else's is the same at
 * both. So the cost is a day's events and those customers' own, not the history.
 */
async function dayStartToInstant(
  db: Db,
  workspaceId: number,
  at: Date,
  filters: SubjectFilters,
  fields: FieldWindow[],
): Promise<Map<string, RolledCounts>> {
  const d0 = startOfDay(at);
  const t = ts(at);
  const start = ts(d0);
  const hours = (instant: SQL) => sql`${instant} - make_interval(hours => 24 * f.days)`;
  const moved =
    filters.region !== undefined || filters.channel !== undefined
      ? // Every type named, so the day is read as index ranges of (type, occurred_at).
        sql`UNION SELECT m.subject, f.key FROM f CROSS JOIN (
              SELECT DISTINCT e.subject FROM events e
              WHERE e.workspace_id = ${workspaceId} AND e.type IN (${list([...EVENT_TYPES])})
                AND e.occurred_at > ${start} AND e.occurred_at <= ${t} AND e.subject IS NOT NULL
                AND (e.region IS NOT NULL OR e.channel IS NOT NULL)) m`
      : sql``;
  // Per customer and instant: held (latest collection or deletion is a collection), and dormant as if no bulk use.
  const stateAt = (
    instant: SQL,
  ) => sql`(SELECT CASE WHEN h.type = 'data.collected'${attributesAt(workspaceId, filters, instant, sql`c.subject`)}
           THEN CASE WHEN ${dormantSql({ collectedAt: sql`h.occurred_at`, usedAt: sql`(SELECT max(u.occurred_at) FROM events u WHERE u.workspace_id = ${workspaceId} AND u.subject = c.subject AND u.field = c.field AND u.type = 'data.used' AND u.occurred_at <= ${instant})`, bulkUsedAt: sql`NULL` }, hours(instant))} THEN 2 ELSE 1 END
           ELSE 0 END
         FROM (SELECT e.type, e.occurred_at FROM events e WHERE e.workspace_id = ${workspaceId} AND e.subject = c.subject AND e.field = c.field
                 AND e.type IN ('data.collected', 'data.deleted') AND e.occurred_at <= ${instant}
               ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1) h)`;
  const found = await rows<{ field: string; holdings: unknown; unbulked: unknown; bulk: boolean }>(
    db,
    // LATERAL, kept apart by OFFSET 0: each field's bounds (its window) are parameters of one index range per event
    // type; flattened into a join, the planner scanned the whole table for the window's day.
    sql`WITH f AS (SELECT * FROM ${fieldsTable(fields)}),
        c AS (
          SELECT e.subject, f.key AS field FROM f
            CROSS JOIN LATERAL (SELECT e.subject FROM events e WHERE e.workspace_id = ${workspaceId} AND e.field = f.key
              AND e.type IN ('data.collected', 'data.deleted', 'data.used') AND e.occurred_at > ${start} AND e.occurred_at <= ${t}
              AND e.subject IS NOT NULL OFFSET 0) e
          UNION
          SELECT e.subject, f.key FROM f
            CROSS JOIN LATERAL (SELECT e.subject FROM events e WHERE e.workspace_id = ${workspaceId} AND e.field = f.key
              AND e.type IN ('data.collected', 'data.used') AND e.occurred_at > ${hours(start)} AND e.occurred_at <= ${hours(t)}
              AND e.subject IS NOT NULL OFFSET 0) e
          ${moved}),
        s AS (SELECT c.field, coalesce(${stateAt(t)}, 0) AS now, coalesce(${stateAt(start)}, 0) AS before
              FROM c JOIN f ON f.key = c.field)
        SELECT f.key AS field,
          coalesce((SELECT sum(sign(s.now) - sign(s.before)) FROM s WHERE s.field = f.key), 0) AS holdings,
          coalesce((SELECT sum((s.now / 2) - (s.before / 2)) FROM s WHERE s.field = f.key), 0) AS unbulked,
          EXISTS (SELECT 1 FROM events e WHERE e.workspace_id = ${workspaceId} AND e.subject IS NULL AND e.type = 'data.used'
                    AND e.field = f.key AND e.occurred_at > ${hours(t)} AND e.occurred_at <= ${t}) AS bulk
        FROM f`,
  );
  return new Map(
    found.map((r) => [
      r.field,
      { holdings: num(r.holdings), unbulked: num(r.unbulked), bulkInWindow: r.bulk },
    ]),
  );
}

/**
 * Holdings and dormant holdings at day boundary d are the sums of their rows up to d
 * (state/contributions.ts); under a region/channel filter, of the attributed rows that hold at d
 * (vf <= d < vt: the subject's values at d). A bulk use of the field in (d − W, d] makes none of
 * them dormant, whoever's they are (SPEC 4).
 */
async function holdingsFromRollups(
  db: Db,
  workspaceId: number,
  ats: Date[],
  fields: FieldWindow[],
  attributes: TallySelection["attributes"],
): Promise<Map<number, Map<string, RolledCounts>>> {
  const days = [...new Set(ats.map((at) => dayNumber(at.getTime())))].sort((a, b) => a - b);
  const [first = 0, last = 0] = [days[0], days[days.length - 1]];
  const keys = list(fields.map((f) => f.key));
  const held = {
    measures: [HOLDING_MEASURE, DORMANT_MEASURE],
    keys: fields.map((f) => f.key),
    dims: [""],
    attributes,
  };
  const found = await rows<{ measure: string; key: string; x: number; vf: number; vt: number; n: unknown }>(
    db,
    attributes
      ? sql`SELECT t.measure, t.key, t.x, t.vf, t.vt, sum(t.n) AS n FROM ${tallyTable(held)}
            WHERE ${selection(workspaceId, "day", held)} AND t.x <= ${last} AND t.vt > ${first}
            GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT measure, key, x, ${NEG_INF}::int, ${POS_INF}::int, sum(n) FROM metric_tally
            WHERE workspace_id = ${workspaceId} AND grain = 'day' AND measure = ${BULK_USE_MEASURE}
              AND key IN (${keys}) AND dim = '' AND x <= ${last}
            GROUP BY 1, 2, 3`
      : sql`SELECT measure, key, x, ${NEG_INF}::int AS vf, ${POS_INF}::int AS vt, sum(n) AS n FROM metric_tally
            WHERE workspace_id = ${workspaceId} AND grain = 'day' AND measure IN (${list([HOLDING_MEASURE, DORMANT_MEASURE, BULK_USE_MEASURE])})
              AND key IN (${keys}) AND dim = '' AND x <= ${last}
            GROUP BY 1, 2, 3`,
  );
  const byRow = new Map<string, { x: number; vf: number; vt: number; n: number }[]>();
  for (const r of found) {
    const id = `${r.key}\u0000${r.measure}`;
    const entry = { x: Number(r.x), vf: Number(r.vf), vt: Number(r.vt), n: num(r.n) };
    const have = byRow.get(id);
    if (have) have.push(entry);
    else byRow.set(id, [entry]);
  }
  const out = new Map<number, Map<string, RolledCounts>>();
  for (const d of days) {
    const byField = new Map<string, RolledCounts>();
    for (const f of fields) {
      const upTo = (measure: string, after = -Infinity) =>
        (byRow.get(`${f.key}\u0000${measure}`) ?? [])
          .filter((r) => r.x > after && r.x <= d && r.vf <= d && d < r.vt)
          .reduce((sum, r) => sum + r.n, 0);
      byField.set(f.key, {
        holdings: upTo(HOLDING_MEASURE),
        unbulked: upTo(DORMANT_MEASURE),
        bulkInWindow: upTo(BULK_USE_MEASURE, d - f.days) > 0,
      });
    }
    out.set(d, byField);
  }
  return out;
}

/**
 * The latest use of each field at or before each instant, subject-level or bulk, by `i|field`.
 * Unfiltered: the events' index, newest first. Under a region/channel filter, at day boundaries
 * from the rollups: the last boundary with a use by a filtered subject (their attributed
 * `subject_use` rows) or a bulk one, then the events of that one day; elsewhere the events
 * newest first, each subject's values looked up through its own index range.
 */
async function lastUsedAt(
  db: Db,
  workspaceId: number,
  ats: Date[],
  filters: SubjectFilters,
  fields: FieldWindow[],
  useRollups: boolean,
): Promise<Map<string, string>> {
  const attributes = attributesOf(filters);
  const points = ats.map((at, i) => ({ i, at: at.toISOString(), d: dayNumber(at.getTime()) }));
  const aligned = (p: { at: string; d: number }) => useRollups && Date.parse(p.at) === p.d * DAY_MS;
  const fromRollups = attributes ? points.filter(aligned) : [];
  const fromEvents = points.filter((p) => !fromRollups.includes(p));
  const kept = (at: SQL) =>
    attributes
      ? sql` AND (e.subject IS NULL OR (TRUE${attributesAt(workspaceId, filters, at, sql`e.subject`)}))`
      : sql``;
  const [latest, walked] = await Promise.all([
    fromRollups.length ? lastUseDays(db, workspaceId, fromRollups, fields, attributes ?? {}) : [],
    fromEvents.length
      ? rows<{ i: number; field: string; last_used_at: unknown }>(
          db,
          sql`SELECT p.i, f.key AS field,
                (SELECT e.occurred_at FROM events e WHERE e.workspace_id = ${workspaceId} AND e.field = f.key AND e.type = 'data.used'
                   AND e.occurred_at <= p.at${kept(sql`p.at`)} ORDER BY e.occurred_at DESC LIMIT 1) AS last_used_at
              FROM jsonb_to_recordset(${JSON.stringify(fromEvents)}::jsonb) AS p(i int, at timestamptz) CROSS JOIN ${fieldsTable(fields)}`,
        )
      : [],
  ]);
  // The day's uses newest first, stopping at the first by a kept subject (or a bulk one): max() over
  // the day checked every use's subject against the filters (3,343 a day per field at 10M events).
  const inDay = latest.length
    ? await rows<{ i: number; field: string; last_used_at: unknown }>(
        db,
        sql`SELECT l.i, l.field,
              (SELECT e.occurred_at FROM events e WHERE e.workspace_id = ${workspaceId} AND e.field = l.field AND e.type = 'data.used'
                 AND e.occurred_at > to_timestamp((l.x - 1)::float8 * 86400) AND e.occurred_at <= to_timestamp(l.x::float8 * 86400)${kept(sql`l.at`)}
               ORDER BY e.occurred_at DESC LIMIT 1) AS last_used_at
            FROM jsonb_to_recordset(${JSON.stringify(latest)}::jsonb) AS l(i int, field text, x int, at timestamptz)`,
      )
    : [];
  return new Map(
    [...walked, ...inDay].flatMap((r) =>
      r.last_used_at ? [[`${r.i}|${r.field}`, isoInstant(new Date(r.last_used_at as string | Date))]] : [],
    ),
  );
}

/** Per point and field, the last day boundary x <= d after a use by a filtered subject or a bulk use. */
async function lastUseDays(
  db: Db,
  workspaceId: number,
  points: { i: number; at: string; d: number }[],
  fields: FieldWindow[],
  attributes: NonNullable<TallySelection["attributes"]>,
): Promise<{ i: number; field: string; x: number; at: string }[]> {
  const uses = { measures: [SUBJECT_USE_MEASURE], keys: fields.map((f) => f.key), dims: [""], attributes };
  // Per point and field, each kind of use newest first, stopping at the first boundary whose rows add
  // up to a use: the keys' order has x right after the attribute (or the key, for bulk uses), so
  // this reads back from `d` a few days' rows, not the field's whole history.
  const found = await rows<{ i: number; field: string; x: number }>(
    db,
    sql`SELECT p.i, f.key AS field, greatest(s.x, b.x) AS x
        FROM jsonb_to_recordset(${JSON.stringify(points)}::jsonb) AS p(i int, d int)
        CROSS JOIN jsonb_array_elements_text(${JSON.stringify(uses.keys)}::jsonb) AS f(key)
        LEFT JOIN LATERAL (
          SELECT t.x FROM ${tallyTable(uses)}
          WHERE ${selection(workspaceId, "day", { ...uses, keys: undefined })} AND t.key = f.key AND t.x <= p.d${validAt(uses, sql`p.d`)}
          GROUP BY t.x HAVING sum(t.n) > 0 ORDER BY t.x DESC LIMIT 1) s ON TRUE
        LEFT JOIN LATERAL (
          SELECT t.x FROM metric_tally t
          WHERE t.workspace_id = ${workspaceId} AND t.grain = 'day' AND t.measure = ${BULK_USE_MEASURE}
            AND t.key = f.key AND t.x <= p.d AND t.dim = ''
          GROUP BY t.x HAVING sum(t.n) > 0 ORDER BY t.x DESC LIMIT 1) b ON TRUE
        WHERE s.x IS NOT NULL OR b.x IS NOT NULL`,
  );
  const at = new Map(points.map((p) => [p.i, p.at]));
  return found.map((r) => ({
    i: Number(r.i),
    field: r.field,
    x: Number(r.x),
    at: at.get(Number(r.i)) as string,
  }));
}

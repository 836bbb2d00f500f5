import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { RollupGrain, UnitRange } from "../plan";
import { num } from "../reference/sql";
import { firstDayOf, monthOf, subjectsInDayRanges } from "./day-ranges";
import {
  dimColumn,
  rangesTable,
  selection,
  tallyTable,
  toSums,
  validAt,
  type TallySelection,
  type TallySum,
} from "./selection";

export {
  dimColumn,
  list,
  rangesTable,
  selection,
  tallyTable,
  toSums,
  validAt,
  type TallySelection,
  type TallySum,
} from "./selection";

/**
 * Σ n over the rows with a <= x and y <= b, per range: the number of subjects that qualify within
 * units a…b, for the measures built by `lastIntersecting` and `coOccurrence` (state/contributions.ts).
 */
export async function subjectsInRanges(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  ranges: UnitRange[],
  s: TallySelection,
): Promise<TallySum[]> {
  if (!ranges.length || !s.measures.length || s.keys?.length === 0) return [];
  const units = ranges.filter((r) => r.a === r.b);
  const perUnit = units.length > 2;
  const spans = perUnit ? ranges.filter((r) => r.a !== r.b) : ranges;
  // Days that make up whole months (the middle months of a Trust Index over 90 days) are read as months:
  // one seek per row instead of the four day blocks. Both grains count the same subjects for them.
  const asMonths = grain === "day" ? spans.map(wholeMonths) : spans;
  const months = asMonths.flatMap((m) => m ?? []);
  const days = spans.filter((_, k) => !asMonths[k]);
  const [fromDays, fromSpans, fromUnits] = await Promise.all([
    days.length ? subjectsInDayRanges(db, workspaceId, days, s) : [],
    subjectsInUnitRanges(db, workspaceId, "month", months, s),
    perUnit ? subjectsPerUnit(db, workspaceId, grain, units, s) : [],
  ]);
  return [...fromDays, ...fromSpans, ...fromUnits];
}

/** The range of days as the months it is made of, or null when it does not start and end at a month's edges. */
function wholeMonths(r: UnitRange): UnitRange | null {
  const [a, b] = [monthOf(r.a), monthOf(r.b)];
  return firstDayOf(a) === r.a && firstDayOf(b + 1) === r.b + 1 ? { i: r.i, a, b } : null;
}

/** Σ n over a <= x, y <= b for ranges of the grain's own units. */
async function subjectsInUnitRanges(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  ranges: UnitRange[],
  s: TallySelection,
): Promise<TallySum[]> {
  if (!ranges.length) return [];
  return rows<{ i: number; measure: string; key: string; dim: string; n: unknown }>(
    db,
    sql`SELECT r.i, t.measure, t.key, t.dim, t.n
        FROM ${rangesTable(ranges)} CROSS JOIN LATERAL (
          SELECT t.measure, t.key, ${dimColumn(s)} AS dim, sum(t.n) AS n FROM ${tallyTable(s)}
          WHERE ${selection(workspaceId, grain, s)} AND t.x >= r.a AND t.y <= r.b${validAt(s, sql`r.b`)}
          GROUP BY 1, 2, 3) t`,
  ).then(toSums);
}

/**
 * The same for ranges of one unit each, in one pass: for a single unit k only the rows with
 * y <= k <= x count, so each row adds n from unit y to unit x, a running sum over their ends
 * (an attributed row only while it holds: from max(y, vf) to min(x, vt − 1)). A row of one unit
 * (y = x: an opened or completed request, a completion's duration) is summed for its unit alone,
 * not as a change and its reverse: at 10M events the durations are ~11,000 distinct rows a year.
 */
async function subjectsPerUnit(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  units: UnitRange[],
  s: TallySelection,
): Promise<TallySum[]> {
  const lo = s.attributes ? sql`greatest(t.y, t.vf)` : sql`t.y`;
  const hi = s.attributes ? sql`least(t.x, t.vt - 1)` : sql`t.x`;
  const first = Math.min(...units.map((u) => u.a));
  const last = Math.max(...units.map((u) => u.a));
  const byUnit = new Map<number, UnitRange[]>();
  for (const u of units) byUnit.set(u.a, [...(byUnit.get(u.a) ?? []), u]);
  // The same bounds on the plain columns, so the indexes range on x: lo <= last and hi >= first.
  const bounds = s.attributes
    ? sql` AND t.x >= ${first} AND t.y <= ${last} AND t.vf <= ${last} AND t.vt > ${first}`
    : sql``;
  const changes = await rows<{
    measure: string;
    key: string;
    dim: string;
    k: number;
    point: boolean;
    n: unknown;
  }>(
    db,
    sql`WITH t AS (SELECT t.measure, t.key, t.dim, t.x, t.y, t.n
                   FROM (SELECT t.measure, t.key, ${dimColumn(s)} AS dim, ${hi} AS x, ${lo} AS y, t.n FROM ${tallyTable(s)}
                         WHERE ${selection(workspaceId, grain, s)}${bounds}) t
                   WHERE t.x >= ${first} AND t.y <= ${last} AND t.y <= t.x)
        SELECT measure, key, dim, k, point, sum(n) AS n
        FROM (SELECT measure, key, dim, greatest(y, ${first}) AS k, y = x AS point, n FROM t
              UNION ALL SELECT measure, key, dim, x + 1, FALSE, -n FROM t WHERE x < ${last} AND y < x) d
        GROUP BY measure, key, dim, k, point ORDER BY measure, key, dim, k`,
  );
  const series = new Map<string, { measure: string; key: string; dim: string; at: [number, number][] }>();
  const out: TallySum[] = [];
  for (const c of changes) {
    if (c.point) {
      for (const u of byUnit.get(Number(c.k)) ?? [])
        out.push({ i: u.i, measure: c.measure, key: c.key, dim: c.dim, n: num(c.n) });
      continue;
    }
    const id = `${c.measure}\u0000${c.key}\u0000${c.dim}`;
    const entry = series.get(id) ?? { measure: c.measure, key: c.key, dim: c.dim, at: [] };
    entry.at.push([Number(c.k), num(c.n)]);
    series.set(id, entry);
  }
  const sorted = [...units].sort((p, q) => p.a - q.a);
  for (const { measure, key, dim, at } of series.values()) {
    let running = 0;
    let next = 0;
    for (const u of sorted) {
      for (; next < at.length && at[next]![0] <= u.a; next++) running += at[next]![1];
      if (running !== 0) out.push({ i: u.i, measure, key, dim, n: running });
    }
  }
  return out;
}

/** Sums of `TallySum.n` by a key built from each row, for shaping. */
export function sumBy(sums: TallySum[], keyOf: (s: TallySum) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of sums) {
    const k = keyOf(s);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + s.n);
  }
  return out;
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { RollupGrain, UnitRange } from "../plan";
import { num } from "../reference/sql";
import { NEG_INF, POS_INF } from "../state/intervals";
import { rangesTable, selection, tallyTable, validAt, type TallySelection } from "./query";

/**
 * Subjects active at the start of each range's first unit a: Σ n of the `active` rows with x <= a (and, for the
 * attributed rows, holding at the range's last unit b), by `i|key`. One read of the rows any range can count,
 * summed per range here: a read per range went over the whole history each time (91 for a daily view).
 */
export async function activeAt(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  ranges: UnitRange[],
  measure: string,
  keys: string[],
  attributes?: TallySelection["attributes"],
): Promise<Map<string, number>> {
  if (!ranges.length || !keys.length) return new Map();
  const s: TallySelection = { measures: [measure], keys, dims: [""], attributes };
  const lastA = Math.max(...ranges.map((r) => r.a));
  const bs = ranges.map((r) => r.b);
  // metric_tally's rows hold at every b.
  const validity = attributes ? sql`t.vf, t.vt` : sql`${NEG_INF}::int AS vf, ${POS_INF}::int AS vt`;
  const holding = attributes ? sql` AND t.vf <= ${Math.max(...bs)} AND t.vt > ${Math.min(...bs)}` : sql``;
  const found = await rows<{ key: string; x: number; vf: number; vt: number; n: unknown }>(
    db,
    sql`SELECT t.key, t.x, ${validity}, sum(t.n) AS n FROM ${tallyTable(s)}
        WHERE ${selection(workspaceId, grain, s)} AND t.x <= ${lastA}${holding}
        GROUP BY 1, 2, 3, 4`,
  );
  const steps = found.map((r) => ({
    key: r.key,
    x: Number(r.x),
    vf: Number(r.vf),
    vt: Number(r.vt),
    n: num(r.n),
  }));
  const out = new Map<string, number>();
  for (const r of ranges) for (const key of keys) out.set(`${r.i}|${key}`, 0);
  for (const r of ranges)
    for (const t of steps)
      if (t.x <= r.a && t.vf <= r.b && r.b < t.vt)
        out.set(`${r.i}|${t.key}`, (out.get(`${r.i}|${t.key}`) ?? 0) + t.n);
  return out;
}

/**
 * Of those, the subjects who churn within the range, by `i|key`: the `churned` rows with
 * y < a <= x whose churn unit (x itself, or z >= x) is at most b, so a <= x <= b.
 */
export async function churnedIn(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  ranges: UnitRange[],
  measure: string,
  keys: string[],
  churnUnit: "x" | "z",
  attributes?: TallySelection["attributes"],
): Promise<Map<string, number>> {
  if (!ranges.length || !keys.length) return new Map();
  const s: TallySelection = { measures: [measure], keys, dims: [""], attributes };
  const found = await rows<{ i: number; key: string; n: unknown }>(
    db,
    sql`SELECT r.i, t.key, t.n FROM ${rangesTable(ranges)}
        CROSS JOIN LATERAL (SELECT t.key, sum(t.n) AS n FROM ${tallyTable(s)}
          WHERE ${selection(workspaceId, grain, s)}
            AND t.x >= r.a AND t.x <= r.b AND t.y < r.a AND t.${sql.raw(churnUnit)} <= r.b${validAt(s, sql`r.b`)}
          GROUP BY t.key) t`,
  );
  return new Map(found.map((r) => [`${r.i}|${r.key}`, num(r.n)]));
}

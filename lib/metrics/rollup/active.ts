import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { RollupGrain, UnitRange } from "../plan";
import { num } from "../reference/sql";
import { rangesTable, selection, tallyTable, validAt, type TallySelection } from "./query";

/** Subjects active at the start of each range's first unit a: Σ n of the `active` rows with x <= a, by `i|key`. */
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
  if (attributes)
    return attributedActiveAt(db, workspaceId, grain, ranges, {
      measures: [measure],
      keys,
      dims: [""],
      attributes,
    });
  const last = Math.max(...ranges.map((r) => r.a));
  const steps = await rows<{ key: string; x: number; n: unknown }>(
    db,
    sql`SELECT t.key, t.x, sum(t.n) AS n FROM metric_tally t
        WHERE ${selection(workspaceId, grain, { measures: [measure], keys, dims: [""] })} AND t.x <= ${last}
        GROUP BY t.key, t.x ORDER BY t.x`,
  );
  const out = new Map<string, number>();
  for (const r of ranges) {
    for (const key of keys)
      out.set(
        `${r.i}|${key}`,
        steps.reduce((sum, s) => sum + (s.key === key && s.x <= r.a ? num(s.n) : 0), 0),
      );
  }
  return out;
}

/**
 * The same from the attributed rows: each range's own sum, of the rows that hold at its last unit b.
 * One read of the rows any range can count (x up to the last a, holding at some b), summed per
 * range here: a read per range went over the whole history each time (91 times for a daily view).
 */
async function attributedActiveAt(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  ranges: UnitRange[],
  s: TallySelection,
): Promise<Map<string, number>> {
  const lastA = Math.max(...ranges.map((r) => r.a));
  const bs = ranges.map((r) => r.b);
  const found = await rows<{ key: string; x: number; vf: number; vt: number; n: unknown }>(
    db,
    sql`SELECT t.key, t.x, t.vf, t.vt, sum(t.n) AS n FROM ${tallyTable(s)}
        WHERE ${selection(workspaceId, grain, s)} AND t.x <= ${lastA} AND t.vf <= ${Math.max(...bs)} AND t.vt > ${Math.min(...bs)}
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
  for (const r of ranges) for (const key of s.keys ?? []) out.set(`${r.i}|${key}`, 0);
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

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { DAY_MS, dayNumber, monthNumber, monthStartMs } from "../buckets";
import type { UnitRange } from "../plan";
import { POS_INF } from "../state/intervals";
import { DAY_PROJECTIONS } from "../state/measures";
import {
  dimColumn,
  selection,
  tallyTable,
  toSums,
  validAt,
  type TallySelection,
  type TallySum,
} from "./selection";

/** The month of a day number, and the first day of a month (both in rollup units). */
export const monthOf = (day: number) => monthNumber(day * DAY_MS);
export const firstDayOf = (month: number) => dayNumber(monthStartMs(month));

/**
 * Σ n over a <= x, y <= b for ranges of days, read in four blocks split at the month of a (for x)
 * and the month of b (for y): x in a later month and y in an earlier one (months × months), and
 * the three blocks where x is a day of a's month or y a day of b's month. A block bounding y to b's
 * month is read with one index seek per exact x value (then y's range); the block with y in any
 * earlier month, which is most of each x, as one range of x. So a range costs at most about
 * 31 × 31 + 2 × 31 × months + months² rows per purpose, whatever the number of events.
 */
export async function subjectsInDayRanges(
  db: Db,
  workspaceId: number,
  ranges: UnitRange[],
  s: TallySelection,
): Promise<TallySum[]> {
  const lastMonth = monthOf(dayNumber(Date.now() + DAY_MS));
  const spec = ranges.map((r) => {
    const ma = monthOf(r.a);
    const mb = monthOf(r.b);
    const monthEnd = firstDayOf(ma + 1) - 1;
    const xdays = Array.from({ length: monthEnd - r.a + 1 }, (_, k) => r.a + k);
    const xmonths = [...Array.from({ length: Math.max(0, lastMonth - ma) }, (_, k) => ma + 1 + k), POS_INF];
    return { i: r.i, a: r.a, ae: monthEnd, b: r.b, ma, mb, bs: firstDayOf(mb), xdays, xmonths };
  });
  // Attributed rows hold by day, whichever block: validity stays in day units (the range's last day).
  const [table, dim, valid] = [tallyTable(s), dimColumn(s), sql`TRUE${validAt(s, sql`r.b`)} AND `];
  const found = await rows<{ i: number; measure: string; key: string; dim: string; n: unknown }>(
    db,
    sql`SELECT r.i, t.measure, t.key, t.dim, sum(t.n) AS n
        FROM jsonb_to_recordset(${JSON.stringify(spec)}::jsonb) AS r(i int, a int, ae int, b int, ma int, mb int, bs int, xdays int[], xmonths int[])
        CROSS JOIN LATERAL (
          SELECT t.measure, t.key, ${dim} AS dim, t.n FROM ${table} WHERE ${valid}${selection(workspaceId, DAY_PROJECTIONS.months, s)} AND t.x > r.ma AND t.y < r.mb
          UNION ALL
          SELECT t.measure, t.key, ${dim} AS dim, t.n FROM ${table} WHERE ${valid}${selection(workspaceId, DAY_PROJECTIONS.xDayYMonth, s)} AND t.x >= r.a AND t.x <= r.ae AND t.y < r.mb
          UNION ALL
          SELECT t.measure, t.key, ${dim} AS dim, t.n FROM ${table} WHERE ${valid}${selection(workspaceId, DAY_PROJECTIONS.xMonthYDay, s)} AND t.x = ANY(r.xmonths) AND t.y >= r.bs AND t.y <= r.b
          UNION ALL
          SELECT t.measure, t.key, ${dim} AS dim, t.n FROM ${table} WHERE ${valid}${selection(workspaceId, "day", s)} AND t.x = ANY(r.xdays) AND t.y >= r.bs AND t.y <= r.b
        ) t
        GROUP BY r.i, t.measure, t.key, t.dim`,
  );
  return toSums(found);
}

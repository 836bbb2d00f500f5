import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { UnitRange } from "../plan";
import { num } from "../reference/sql";

/** The shared pieces of the rollup queries (query.ts, day-ranges.ts): kept apart so neither imports the other. */
export interface TallySum {
  i: number;
  measure: string;
  key: string;
  dim: string;
  n: number;
}

export interface TallySelection {
  measures: string[];
  keys?: string[];
  /** Exact dims, or every dim starting with `prefix`. */
  dims?: string[] | { prefix: string };
}

export const list = (values: readonly (string | number)[]): SQL =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

export function rangesTable(ranges: UnitRange[]): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(ranges)}::jsonb) AS r(i int, a int, b int)`;
}

/** The rows of `metric_tally t` a query reads: one workspace, one grain (or day projection), the measures, keys and dims. */
export function selection(workspaceId: number, grain: string, s: TallySelection): SQL {
  const keys = s.keys ? sql` AND t.key IN (${list(s.keys)})` : sql``;
  const dims = !s.dims
    ? sql``
    : Array.isArray(s.dims)
      ? sql` AND t.dim IN (${list(s.dims)})`
      : sql` AND starts_with(t.dim, ${s.dims.prefix})`;
  return sql`t.workspace_id = ${workspaceId} AND t.grain = ${grain} AND t.measure IN (${list(s.measures)})${keys}${dims}`;
}

export const toSums = (
  found: { i: number; measure: string; key: string; dim: string; n: unknown }[],
): TallySum[] =>
  found.map((r) => ({ i: Number(r.i), measure: r.measure, key: r.key, dim: r.dim, n: num(r.n) }));

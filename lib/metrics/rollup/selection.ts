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
  /**
   * Read the rows per (region, channel) segment (`metric_tally_attr`): those of the subjects with
   * these values at each range's last unit (SPEC 4, Filters); `{}` for all of them.
   */
  attributes?: { region?: string; channel?: string };
  /** With `attributes`: report the region or channel in `dim` instead (breakdowns). */
  attributeAsDim?: "region" | "channel";
}

/** The table a selection reads, as `t`. */
export const tallyTable = (s: TallySelection): SQL =>
  s.attributes ? sql`metric_tally_attr t` : sql`metric_tally t`;

/** The selected rows' `dim` column: the dim, or the region/channel of a breakdown. */
export const dimColumn = (s: TallySelection): SQL =>
  s.attributes && s.attributeAsDim ? sql.raw(`t.${s.attributeAsDim}`) : sql`t.dim`;

/** `AND` the attributed row holds for a query whose last unit is `end` (nothing for `metric_tally`). */
export const validAt = (s: TallySelection, end: SQL | number): SQL =>
  s.attributes ? sql` AND t.vf <= ${end} AND ${end} < t.vt` : sql``;

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
  const region = s.attributes?.region === undefined ? sql`` : sql` AND t.region = ${s.attributes.region}`;
  const channel = s.attributes?.channel === undefined ? sql`` : sql` AND t.channel = ${s.attributes.channel}`;
  return sql`t.workspace_id = ${workspaceId} AND t.grain = ${grain} AND t.measure IN (${list(s.measures)})${keys}${dims}${region}${channel}`;
}

export const toSums = (
  found: { i: number; measure: string; key: string; dim: string; n: unknown }[],
): TallySum[] =>
  found.map((r) => ({ i: Number(r.i), measure: r.measure, key: r.key, dim: r.dim, n: num(r.n) }));

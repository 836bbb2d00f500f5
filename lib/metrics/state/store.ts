import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { ceilDayNumber, dayNumber } from "../buckets";
import {
  DEFAULT_ROLLUP_SETTINGS,
  isAttributed,
  type AttributedRow,
  type MetricEvent,
  type RollupSettings,
  type TallyRow,
} from "./contributions";
import { BULK_USE_MEASURE } from "./measures";

/** An event row as the rollup loaders select it (SUBJECT_EVENT_COLUMNS), before `toMetricEvents`. */
export type SubjectEventRow = Omit<MetricEvent, "subject" | "t" | "seq"> & {
  subject: string;
  t: string | number;
  seq: string | number | bigint;
};

/** The columns of `SubjectEventRow`, from an events row aliased `e`. */
export const SUBJECT_EVENT_COLUMNS = sql.raw(
  `e.subject, e.type, e.purpose, e.field, e.context, e.score, (extract(epoch FROM e.occurred_at) * 1000)::float8 AS t, e.seq,
   e.value_amount::text AS amount, e.value_currency AS currency, e.source, e.value_kind AS kind, e.request, e.region, e.channel`,
);

/** Rows grouped by subject, order kept, with `t` and `seq` as numbers. */
export function bySubject<R extends SubjectEventRow>(
  found: R[],
): Map<string, (Omit<R, "t" | "seq"> & { t: number; seq: number })[]> {
  const out = new Map<string, (Omit<R, "t" | "seq"> & { t: number; seq: number })[]>();
  for (const r of found) {
    const e = { ...r, t: Math.round(Number(r.t)), seq: Number(r.seq) };
    const list = out.get(r.subject);
    if (list) list.push(e);
    else out.set(r.subject, [e]);
  }
  return out;
}

/** The events of these subjects, each subject's in event order. */
export async function loadSubjectEvents(
  tx: Db,
  workspaceId: number,
  subjects: string[],
): Promise<Map<string, MetricEvent[]>> {
  const found = await rows<SubjectEventRow>(
    tx,
    // One index range per subject: a lateral subquery that OFFSET 0 keeps from being flattened,
    // so the plan does not depend on the table's statistics (stale ones chose a workspace scan).
    sql`SELECT ${SUBJECT_EVENT_COLUMNS}
        FROM jsonb_array_elements_text(${JSON.stringify(subjects)}::jsonb) AS s(subject)
        CROSS JOIN LATERAL (SELECT * FROM events WHERE workspace_id = ${workspaceId} AND subject = s.subject ORDER BY occurred_at, seq OFFSET 0) AS e`,
  );
  return bySubject(found);
}

/** The string parts of a row's key: a row of `metric_tally_attr` also has its (region, channel). */
interface KeyPrefix {
  grain: string;
  measure: string;
  key: string;
  dim: string;
  region: string | null;
  channel: string | null;
}
type Level<T> = Map<string, T>;
const child = <T>(level: Level<T>, key: string, make: () => T): T => {
  const found = level.get(key);
  if (found !== undefined) return found;
  const made = make();
  level.set(key, made);
  return made;
};
/** Columns kept per summed row, besides n: the prefix's number, x, y, z, vf, vt. */
const INT_COLUMNS = 6;
const INITIAL_ROWS = 1 << 12;

/**
 * Sums of tally rows with the same key (grain, measure, key, dim[, region, channel], x, y, z[, vf,
 * vt]). The string parts, whose few distinct values many rows share, are numbered once through
 * nested maps (prefixes); a row's key is its prefix's number and its integers packed into one short
 * string, and the sums are kept in typed arrays, not one object per row: the applier adds millions
 * of rows a minute, and building string keys and copying row objects was most of its time in Node
 * (much of it the garbage collector's).
 */
export class TallySums {
  private readonly prefixIds: Level<Level<Level<Level<Level<Level<number>>>>>> = new Map();
  private readonly prefixes: KeyPrefix[] = [];
  private readonly slots = new Map<string, number>();
  private size = 0;
  private ints = new Int32Array(INITIAL_ROWS * INT_COLUMNS);
  private sums = new Float64Array(INITIAL_ROWS);

  private prefixOf(r: TallyRow): number {
    const attributed = isAttributed(r);
    const region = attributed ? r.region : null;
    const channel = attributed ? r.channel : null;
    const byMeasure = child(this.prefixIds, r.grain, () => new Map());
    const byKey = child(byMeasure, r.measure, () => new Map());
    const byDim = child(byKey, r.key, () => new Map());
    // A row of metric_tally has no region: "\u0000" stands for it (a region is text, never that alone).
    const byRegion = child(byDim, r.dim, () => new Map());
    const byChannel = child(byRegion, region ?? "\u0000", () => new Map<string, number>());
    const found = byChannel.get(channel ?? "\u0000");
    if (found !== undefined) return found;
    const id = this.prefixes.length;
    this.prefixes.push({ grain: r.grain, measure: r.measure, key: r.key, dim: r.dim, region, channel });
    byChannel.set(channel ?? "\u0000", id);
    return id;
  }

  /** Adds the rows' n (times `sign`). */
  add(rowsToAdd: readonly TallyRow[], sign: 1 | -1): void {
    for (const r of rowsToAdd) {
      const p = this.prefixOf(r);
      const attributed = isAttributed(r);
      const vf = attributed ? r.vf : 0;
      const vt = attributed ? r.vt : 0;
      // Each 32-bit integer as two UTF-16 units: no number formatting, no collisions.
      const key = String.fromCharCode(
        p >>> 16,
        p & 0xffff,
        r.x >>> 16,
        r.x & 0xffff,
        r.y >>> 16,
        r.y & 0xffff,
        r.z >>> 16,
        r.z & 0xffff,
        vf >>> 16,
        vf & 0xffff,
        vt >>> 16,
        vt & 0xffff,
      );
      const slot = this.slots.get(key);
      if (slot !== undefined) {
        this.sums[slot] = (this.sums[slot] as number) + sign * r.n;
        continue;
      }
      if (this.size === this.sums.length) this.grow();
      const at = this.size * INT_COLUMNS;
      this.ints[at] = p;
      this.ints[at + 1] = r.x;
      this.ints[at + 2] = r.y;
      this.ints[at + 3] = r.z;
      this.ints[at + 4] = vf;
      this.ints[at + 5] = vt;
      this.sums[this.size] = sign * r.n;
      this.slots.set(key, this.size++);
    }
  }

  private grow(): void {
    const ints = new Int32Array(this.ints.length * 2);
    ints.set(this.ints);
    this.ints = ints;
    const sums = new Float64Array(this.sums.length * 2);
    sums.set(this.sums);
    this.sums = sums;
  }

  /**
   * The summed rows whose n is not 0, as columns for the tables' statements: rows of
   * `metric_tally_attr` (`attributed`) or of `metric_tally`; each row's string parts as the number
   * of its prefix in `prefixes`.
   */
  columns(attributed: boolean): SummedColumns {
    const out: SummedColumns = {
      prefixes: this.prefixes,
      prefix: [],
      x: [],
      y: [],
      z: [],
      vf: [],
      vt: [],
      n: [],
    };
    for (let i = 0; i < this.size; i++) {
      const n = this.sums[i] as number;
      const at = i * INT_COLUMNS;
      const p = this.ints[at] as number;
      if (n === 0 || (this.prefixes[p]?.region !== null) !== attributed) continue;
      out.prefix.push(p);
      out.x.push(this.ints[at + 1] as number);
      out.y.push(this.ints[at + 2] as number);
      out.z.push(this.ints[at + 3] as number);
      out.vf.push(this.ints[at + 4] as number);
      out.vt.push(this.ints[at + 5] as number);
      out.n.push(n);
    }
    return out;
  }

  /** The summed rows whose n is not 0. */
  *changed(): Generator<TallyRow> {
    for (const attributed of [false, true]) {
      const c = this.columns(attributed);
      for (let i = 0; i < c.n.length; i++) {
        const { region, channel, ...p } = c.prefixes[c.prefix[i] as number] as KeyPrefix;
        const row: TallyRow = { ...p, x: c.x[i]!, y: c.y[i]!, z: c.z[i]!, n: c.n[i]! } as TallyRow;
        yield attributed ? ({ ...row, region, channel, vf: c.vf[i]!, vt: c.vt[i]! } as AttributedRow) : row;
      }
    }
  }
}

interface SummedColumns {
  prefixes: readonly KeyPrefix[];
  prefix: number[];
  x: number[];
  y: number[];
  z: number[];
  vf: number[];
  vt: number[];
  n: number[];
}

/** Rows per statement: one parameter of millions of rows runs PGlite out of memory. */
const ATTRIBUTED_CHUNK = 50_000;

/**
 * The rows of `c` from `from` to `to` as a relation r(grain, measure, key, region, channel, dim,
 * x, y, z, vf, vt, n): each column one comma-separated parameter (`unnest`), the string parts
 * joined from the (few) prefixes the rows use. About a third of the bytes of the rows as JSON
 * objects, and no JSON to build or parse.
 */
function summedRows(c: SummedColumns, from: number, to: number): SQL {
  const list = (column: number[]) => column.slice(from, to).join(",");
  const used = [...new Set(c.prefix.slice(from, to))];
  const prefixes = JSON.stringify(used.map((id) => ({ id, ...c.prefixes[id] })));
  return sql`(SELECT p.grain, p.measure, p.key, p.region, p.channel, p.dim, u.x, u.y, u.z, u.vf, u.vt, u.n
      FROM unnest(string_to_array(${list(c.prefix)}, ',')::int[], string_to_array(${list(c.x)}, ',')::int[],
                  string_to_array(${list(c.y)}, ',')::int[], string_to_array(${list(c.z)}, ',')::int[],
                  string_to_array(${list(c.vf)}, ',')::int[], string_to_array(${list(c.vt)}, ',')::int[],
                  string_to_array(${list(c.n)}, ',')::bigint[]) AS u(prefix, x, y, z, vf, vt, n)
      JOIN jsonb_to_recordset(${prefixes}::jsonb)
        AS p(id int, grain text, measure text, key text, dim text, region text, channel text) ON p.id = u.prefix)`;
}

/**
 * Adds the sums to the tallies, rows in key order so concurrent writers lock alike: the rows of
 * `metric_tally` (which ingestion's batches also add to) in one statement, the attributed ones
 * (only the applier writes them) in statements of ATTRIBUTED_CHUNK rows.
 */
export async function addToTallies(tx: Db, workspaceId: number, delta: TallySums): Promise<void> {
  const attributed = delta.columns(true);
  for (let i = 0; i < attributed.n.length; i += ATTRIBUTED_CHUNK) {
    await tx.execute(
      sql`INSERT INTO metric_tally_attr AS t (workspace_id, grain, measure, key, region, channel, dim, x, y, z, vf, vt, n)
        SELECT ${workspaceId}::bigint, r.grain, r.measure, r.key, r.region, r.channel, r.dim, r.x, r.y, r.z, r.vf, r.vt, r.n
        FROM ${summedRows(attributed, i, i + ATTRIBUTED_CHUNK)} AS r
        ORDER BY r.grain, r.measure, r.key, r.region, r.x, r.y, r.vf, r.vt, r.dim, r.channel, r.z
        ON CONFLICT (workspace_id, grain, measure, key, region, channel, dim, x, y, z, vf, vt) DO UPDATE SET n = t.n + EXCLUDED.n`,
    );
  }
  const plain = delta.columns(false);
  if (!plain.n.length) return;
  await tx.execute(
    sql`INSERT INTO metric_tally AS t (workspace_id, grain, measure, key, dim, x, y, z, n)
        SELECT ${workspaceId}::bigint, r.grain, r.measure, r.key, r.dim, r.x, r.y, r.z, r.n
        FROM ${summedRows(plain, 0, plain.n.length)} AS r
        ORDER BY r.grain, r.measure, r.key, r.x, r.y, r.z, r.dim
        ON CONFLICT (workspace_id, grain, measure, key, dim, x, y, z) DO UPDATE SET n = t.n + EXCLUDED.n`,
  );
}

/**
 * The additive rollups, taken from each batch's own events: value amounts per day, purpose and
 * currency (written here), and bulk uses per field and day boundary (returned, for the tallies).
 */
export async function addBatchSums(tx: Db, workspaceId: number, events: MetricEvent[]): Promise<TallyRow[]> {
  const amounts = events
    .filter((e) => e.type === "value.delivered" && e.purpose)
    .map((e) => ({
      purpose: e.purpose,
      day: dayNumber(e.t),
      currency: e.currency ?? "",
      amount: e.amount ?? "0",
    }));
  if (amounts.length) {
    // Summed in SQL as numeric: exact, like the sum over the raw events.
    await tx.execute(
      sql`INSERT INTO metric_value_daily AS v (workspace_id, purpose, day, currency, amount)
          SELECT ${workspaceId}::bigint, r.purpose, r.day, r.currency, sum(r.amount)
          FROM jsonb_to_recordset(${JSON.stringify(amounts)}::jsonb) AS r(purpose text, day int, currency text, amount numeric)
          GROUP BY r.purpose, r.day, r.currency
          ORDER BY r.purpose, r.day, r.currency
          ON CONFLICT (workspace_id, purpose, day, currency) DO UPDATE SET amount = v.amount + EXCLUDED.amount`,
    );
  }
  return events
    .filter((e) => e.type === "data.used" && e.subject === null && e.field)
    .map((e) => ({
      grain: "day",
      measure: BULK_USE_MEASURE,
      key: e.field as string,
      dim: "",
      x: ceilDayNumber(e.t),
      y: 0,
      z: 0,
      n: 1,
    }));
}

/**
 * The dormancy window of each field's rollup rows: the one they were first built with, recorded
 * from the field's configuration, so that a batch subtracts exactly the rows an earlier one added.
 */
export async function dormancyWindows(
  tx: Db,
  workspaceId: number,
  fields: string[],
): Promise<Map<string, number>> {
  if (!fields.length) return new Map();
  const keys = JSON.stringify([...new Set(fields)].sort());
  const found = await rows<{ field: string; dormancy_days: number }>(
    tx,
    sql`WITH added AS (INSERT INTO metric_field_window (workspace_id, field, dormancy_days)
                       SELECT ${workspaceId}::bigint, f.key, f.dormancy_days FROM fields f
                       WHERE f.workspace_id = ${workspaceId} AND f.key IN (SELECT jsonb_array_elements_text(${keys}::jsonb))
                       ORDER BY f.key
                       ON CONFLICT (workspace_id, field) DO NOTHING
                       RETURNING field, dormancy_days)
        SELECT field, dormancy_days FROM added
        UNION ALL
        SELECT field, dormancy_days FROM metric_field_window
        WHERE workspace_id = ${workspaceId} AND field IN (SELECT jsonb_array_elements_text(${keys}::jsonb))`,
  );
  return new Map(found.map((r) => [r.field, Number(r.dormancy_days)]));
}

/** The settings the workspace's rollup rows are built with (metric_state), the defaults before it has a row. */
export async function rollupSettings(tx: Db, workspaceId: number): Promise<RollupSettings> {
  const [found] = await rows<{ dsar_due_days: number; control_sources: string[] }>(
    tx,
    sql`SELECT dsar_due_days, control_sources FROM metric_state WHERE workspace_id = ${workspaceId}`,
  );
  return found
    ? { dsarDueDays: Number(found.dsar_due_days), controlSources: found.control_sources }
    : DEFAULT_ROLLUP_SETTINGS;
}

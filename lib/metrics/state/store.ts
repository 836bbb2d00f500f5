import "server-only";
import { sql } from "drizzle-orm";
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

type Level<T> = Map<string, T>;
const child = <T>(level: Level<T>, key: string, make: () => T): T => {
  const found = level.get(key);
  if (found !== undefined) return found;
  const made = make();
  level.set(key, made);
  return made;
};
/** x, y and z (32-bit integers) as one 6-character key: no number formatting, no collisions. */
const packXyz = (r: TallyRow): string =>
  String.fromCharCode(r.x >>> 16, r.x & 0xffff, r.y >>> 16, r.y & 0xffff, r.z >>> 16, r.z & 0xffff) +
  (isAttributed(r) ? String.fromCharCode(r.vf >>> 16, r.vf & 0xffff, r.vt >>> 16, r.vt & 0xffff) : "");
/** The dim level's key: an attributed row's (region, channel) go with its dim. */
const dimKey = (r: TallyRow): string =>
  isAttributed(r) ? `${r.dim}\u0000${r.region}\u0000${r.channel}` : r.dim;

/**
 * Sums of tally rows with the same key (grain, measure, key, dim, x, y, z). Nested maps over the
 * string parts, whose few distinct values are shared by many rows, and one short key for x, y, z:
 * the applier adds millions of rows a minute, and building one string key per row was most of
 * its time in Node.
 */
export class TallySums {
  private readonly byGrain: Level<Level<Level<Level<Map<string, TallyRow>>>>> = new Map();

  /** Adds the rows' n (times `sign`). */
  add(rowsToAdd: readonly TallyRow[], sign: 1 | -1): void {
    for (const r of rowsToAdd) {
      const byMeasure = child(this.byGrain, r.grain, () => new Map());
      const byKey = child(byMeasure, r.measure, () => new Map());
      const byDim = child(byKey, r.key, () => new Map());
      const byXyz = child(byDim, dimKey(r), () => new Map<string, TallyRow>());
      const xyz = packXyz(r);
      const have = byXyz.get(xyz);
      if (have) have.n += sign * r.n;
      else byXyz.set(xyz, { ...r, n: sign * r.n });
    }
  }

  /** The summed rows whose n is not 0. */
  *changed(): Generator<TallyRow> {
    for (const byMeasure of this.byGrain.values())
      for (const byKey of byMeasure.values())
        for (const byDim of byKey.values())
          for (const byXyz of byDim.values()) for (const r of byXyz.values()) if (r.n !== 0) yield r;
  }
}

/** Adds the sums to the tallies: one statement, rows in key order so concurrent batches lock alike. */
export async function addToTallies(tx: Db, workspaceId: number, delta: TallySums): Promise<void> {
  const all = [...delta.changed()];
  await addToAttributedTallies(tx, workspaceId, all.filter(isAttributed));
  const changed = all.filter((r) => !isAttributed(r));
  if (!changed.length) return;
  await tx.execute(
    sql`INSERT INTO metric_tally AS t (workspace_id, grain, measure, key, dim, x, y, z, n)
        SELECT ${workspaceId}::bigint, r.grain, r.measure, r.key, r.dim, r.x, r.y, r.z, r.n
        FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) AS r(grain text, measure text, key text, dim text, x int, y int, z int, n bigint)
        ORDER BY r.grain, r.measure, r.key, r.dim, r.x, r.y, r.z
        ON CONFLICT (workspace_id, grain, measure, key, dim, x, y, z) DO UPDATE SET n = t.n + EXCLUDED.n`,
  );
}

/** The same for the rows per (region, channel) segment (`metric_tally_attr`). */
async function addToAttributedTallies(tx: Db, workspaceId: number, all: AttributedRow[]): Promise<void> {
  // In statements of at most ATTRIBUTED_CHUNK rows: one JSON parameter of millions of rows runs PGlite out of memory.
  for (let i = 0; i < all.length; i += ATTRIBUTED_CHUNK) {
    const changed = all.slice(i, i + ATTRIBUTED_CHUNK);
    await tx.execute(
      sql`INSERT INTO metric_tally_attr AS t (workspace_id, grain, measure, key, region, channel, dim, x, y, z, vf, vt, n)
        SELECT ${workspaceId}::bigint, r.grain, r.measure, r.key, r.region, r.channel, r.dim, r.x, r.y, r.z, r.vf, r.vt, r.n
        FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb)
          AS r(grain text, measure text, key text, region text, channel text, dim text, x int, y int, z int, vf int, vt int, n bigint)
        ORDER BY r.grain, r.measure, r.key, r.region, r.channel, r.dim, r.x, r.y, r.z, r.vf, r.vt
        ON CONFLICT (workspace_id, grain, measure, key, region, channel, dim, x, y, z, vf, vt) DO UPDATE SET n = t.n + EXCLUDED.n`,
    );
  }
}
const ATTRIBUTED_CHUNK = 50_000;

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

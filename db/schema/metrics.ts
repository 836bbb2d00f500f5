import { sql } from "drizzle-orm";
import { bigint, index, integer, numeric, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Rollups for the metrics, kept current by ingestion (lib/metrics/state). Each subject's events
 * are turned into signed rows keyed by bucket numbers (x, y, z); a metric is a sum of `n` over a
 * condition on them, so a query reads rows per purpose × bucket pair, never per event.
 * `grain` 'day' numbers days since 1970-01-01, 'month' months since year 0; ±2^31 stand for ±∞.
 */
export const metricTally = pgTable(
  "metric_tally",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    grain: text("grain").notNull(),
    measure: text("measure").notNull(),
    /** The purpose or field the row counts for; '' for per-subject measures (churn, trust). */
    key: text("key").notNull(),
    /** A sub-division of the measure: the answer of an opt-in, the context asked in, a trust score. */
    dim: text("dim").notNull(),
    x: integer("x").notNull(),
    y: integer("y").notNull(),
    z: integer("z").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  // x and y before dim, so a read that names no dims still seeks on x (the attributed indexes do the
  // same); migration 0013 adds n to the key's index (INCLUDE), so a read is an index-only scan.
  (t) => [primaryKey({ columns: [t.workspaceId, t.grain, t.measure, t.key, t.x, t.y, t.z, t.dim] })],
);

/**
 * The rows of `metric_tally` again, per segment of the subject's (region, channel) — '' for none
 * yet — for the queries with a region or channel filter: a row holds for a query whose last unit
 * b has vf <= b < vt (units of its grain; days for the day projections; day boundaries for the
 * holdings). A subject's first segment starts at −∞ and its last ends at +∞, so the rows of
 * subjects who never move sum into few rows.
 */
export const metricTallyAttr = pgTable(
  "metric_tally_attr",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    grain: text("grain").notNull(),
    measure: text("measure").notNull(),
    key: text("key").notNull(),
    region: text("region").notNull(),
    channel: text("channel").notNull(),
    dim: text("dim").notNull(),
    x: integer("x").notNull(),
    y: integer("y").notNull(),
    z: integer("z").notNull(),
    vf: integer("vf").notNull(),
    vt: integer("vt").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [
    // The key in the order of a read under a region (or a region and a channel): its value, then the
    // query's x range, with y, the validity bounds, the dim and the channel checked in the index (a dim
    // before x would stop the range when a read names no dims); migration 0014 adds n (INCLUDE), so
    // such a read is an index-only scan. A read under a channel alone has the same order with the two
    // attributes swapped. Two indexes for the applier to keep, not three: the key is one of them.
    primaryKey({
      name: "metric_tally_attr_pk",
      columns: [
        t.workspaceId,
        t.grain,
        t.measure,
        t.key,
        t.region,
        t.x,
        t.y,
        t.vf,
        t.vt,
        t.dim,
        t.channel,
        t.z,
      ],
    }),
    index("metric_tally_attr_channel").on(
      t.workspaceId,
      t.grain,
      t.measure,
      t.key,
      t.channel,
      t.x,
      t.y,
      t.vf,
      t.vt,
      t.dim,
      t.region,
      t.n,
    ),
  ],
);

/** Sums of `value.amount` per UTC day, purpose and currency ('' for none): additive, so kept from each batch alone. */
export const metricValueDaily = pgTable(
  "metric_value_daily",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    purpose: text("purpose").notNull(),
    day: integer("day").notNull(),
    currency: text("currency").notNull(),
    amount: numeric("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.purpose, t.day, t.currency] })],
);

/**
 * A workspace whose rollups are complete at `version`. Workspaces without a row (events stored
 * before the rollups existed, or an older version) are answered from the raw events until rebuilt.
 */
export const metricState = pgTable("metric_state", {
  workspaceId: bigint("workspace_id", { mode: "number" }).primaryKey(),
  version: integer("version").notNull(),
  /** The workspace settings the rows were built with: data requests' due days and the control sources. */
  dsarDueDays: integer("dsar_due_days").notNull().default(30),
  controlSources: text("control_sources")
    .array()
    .notNull()
    .default(sql`'{preference_center}'::text[]`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The dormancy window each field's `dormant` rollup rows were built with. When the field's
 * configured window differs (it was changed), its dormant data is read from the raw events
 * until the rollups are rebuilt.
 */
export const metricFieldWindow = pgTable(
  "metric_field_window",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    field: text("field").notNull(),
    dormancyDays: integer("dormancy_days").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.field] })],
);

/**
 * Subject events stored but not yet in the rollups: ingestion queues them in its own transaction
 * and the applier (lib/metrics/state/apply.ts) takes them off in large chunks, so a batch pays
 * for one small insert here instead of the rollup rows. A metric read answers from what is applied
 * and reports what waits here (`pending_events`, and `as_of` from the oldest `queued_at`); an
 * exact read (`consistency=exact`, the CLI) applies the queue first.
 */
export const metricPending = pgTable(
  "metric_pending",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    subject: text("subject").notNull(),
    /** The queuing transaction's start: every event committed before the oldest of these is applied. */
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.seq] })],
);

/**
 * First use (SPEC 4), per subject and field: its first collection (epoch ms, in event order) with
 * the collection's context, and its first subject-level use at or after it (null: none yet). Bulk
 * uses are not here: a query takes the first one at or after each collection from the events
 * (`events_bulk_use_idx`), so a bulk use never rewrites these rows. One row per segment of the
 * subject's (region, channel) — '' for none yet — that can matter: a query with end `to` keeps
 * the row with vf < to <= vt (the latest values before `to`); segments ending by the collection
 * are left out and the first one kept starts at −∞, so most subjects have one row per field.
 */
export const metricFirstUse = pgTable(
  "metric_first_use",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    subject: text("subject").notNull(),
    field: text("field").notNull(),
    collectedAt: bigint("collected_at", { mode: "number" }).notNull(),
    context: text("context").notNull(),
    usedAt: bigint("used_at", { mode: "number" }),
    region: text("region").notNull(),
    channel: text("channel").notNull(),
    vf: bigint("vf", { mode: "number" }).notNull(),
    vt: bigint("vt", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.subject, t.field, t.vf] }),
    // Every column a first-use read needs, after its range (field, collection time): an index-only scan.
    index("metric_first_use_period").on(
      t.workspaceId,
      t.field,
      t.collectedAt,
      t.vf,
      t.vt,
      t.region,
      t.channel,
      t.context,
      t.usedAt,
    ),
  ],
);

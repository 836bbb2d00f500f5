import { sql } from "drizzle-orm";
import {
  bigint,
  date,
  index,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

// Arrival order: one global, increasing number per stored event. Ties on occurred_at are decided by it.
export const eventSeq = pgSequence("event_seq", { startWith: 1, increment: 1, cache: 1 });

export const events = pgTable(
  "events",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    id: text("id").notNull(),
    seq: bigint("seq", { mode: "number" })
      .notNull()
      .default(sql`nextval('event_seq')`),
    type: text("type").notNull(),
    subject: text("subject"),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    purpose: text("purpose"),
    field: text("field"),
    source: text("source"),
    channel: text("channel"),
    region: text("region"),
    context: text("context"),
    valueKind: text("value_kind"),
    valueAmount: numeric("value_amount"),
    valueCurrency: text("value_currency"),
    score: smallint("score"),
    request: text("request"),
    campaign: text("campaign"),
    properties: jsonb("properties"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    // per-subject timelines (consent state, holdings, churn): subject, then event order
    index("events_subject_order_idx").on(t.workspaceId, t.subject, t.occurredAt, t.seq),
    // per-purpose metrics over a period
    index("events_purpose_type_time_idx").on(t.workspaceId, t.purpose, t.type, t.occurredAt),
    // per-field holdings and usage
    index("events_field_type_time_idx").on(t.workspaceId, t.field, t.type, t.occurredAt),
    index("events_type_time_idx").on(t.workspaceId, t.type, t.occurredAt),
    // first use: a field's bulk uses (no subject), few among its many subject-level uses
    index("events_bulk_use_idx")
      .on(t.workspaceId, t.field, t.occurredAt)
      .where(sql`${t.subject} IS NULL AND ${t.type} = 'data.used'`),
  ],
);

// Kept current by ingestion: one row per customer, for filters and the Events screen.
export const subjects = pgTable(
  "subjects",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    subject: text("subject").notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    eventCount: bigint("event_count", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.subject] })],
);

// Kept current by ingestion: events per UTC day, type and source (Events screen, last event per source).
export const eventDaily = pgTable(
  "event_daily",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    day: date("day", { mode: "string" }).notNull(),
    type: text("type").notNull(),
    source: text("source").notNull().default(""),
    events: bigint("events", { mode: "number" }).notNull().default(0),
    lastOccurredAt: timestamp("last_occurred_at", { withTimezone: true }).notNull(),
    lastReceivedAt: timestamp("last_received_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.type, t.source] })],
);

// Kept current by ingestion: `data.used` events per UTC day, field and purpose ('' for none), and the latest of
// them (the data inventory's uses and last use, without a scan of the events).
export const fieldUseDaily = pgTable(
  "field_use_daily",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    day: date("day", { mode: "string" }).notNull(),
    field: text("field").notNull(),
    purpose: text("purpose").notNull().default(""),
    uses: bigint("uses", { mode: "number" }).notNull().default(0),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.field, t.purpose] })],
);

/** The attributes a filter bar lists the values of: an event's region and channel, a consent event's context. */
export type EventDimension = "region" | "channel" | "context";

// Kept current by ingestion: the regions, channels and journey steps (contexts of consent events) seen in the
// workspace's events, for the filter bars (listed without a scan of the events).
export const eventDimensionValues = pgTable(
  "event_dimension_values",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    dimension: text("dimension").$type<EventDimension>().notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.dimension, t.value] })],
);

// Rejected events with their reasons, for the Events screen. Bounded by the ingest path (first errors only).
export const rejectedEvents = pgTable(
  "rejected_events",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    seq: bigint("seq", { mode: "number" })
      .notNull()
      .default(sql`nextval('event_seq')`),
    eventId: text("event_id"),
    via: text("via").notNull(),
    errors: jsonb("errors").$type<string[]>().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.seq] }),
    index("rejected_events_recent_idx").on(t.workspaceId, t.receivedAt),
  ],
);

export type StoredEvent = typeof events.$inferSelect;

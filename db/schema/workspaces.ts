import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// Reference table (small, replicated to every node on Citus).
export const workspaces = pgTable(
  "workspaces",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    currency: text("currency").notNull().default("EUR"),
    trustWeights: jsonb("trust_weights").$type<Record<string, number>>(),
    signalMapping: jsonb("signal_mapping").$type<Record<string, unknown>>(),
    webhookUrl: text("webhook_url"),
    webhookSecret: text("webhook_secret"),
    /** Days a data subject request may take before it is late (SPEC 4, data subject requests). */
    dsarDueDays: integer("dsar_due_days").notNull().default(30),
    /** Event sources that count as the customer using a control (SPEC 4, control effect). */
    controlSources: text("control_sources")
      .array()
      .notNull()
      .default(sql`'{preference_center}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("workspaces_slug_key").on(t.slug)],
);

export const purposes = pgTable(
  "purposes",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    valuePromise: text("value_promise"),
    legalBasis: text("legal_basis"),
    status: text("status").notNull().default("undeclared"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

export const fields = pgTable(
  "fields",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    sensitivity: text("sensitivity").notNull().default("medium"),
    dormancyDays: integer("dormancy_days").notNull().default(180),
    purposes: text("purposes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: text("status").notNull().default("undeclared"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

export type Workspace = typeof workspaces.$inferSelect;
export type Purpose = typeof purposes.$inferSelect;
export type Field = typeof fields.$inferSelect;

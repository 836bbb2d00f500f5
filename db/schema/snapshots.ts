import { bigint, bigserial, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * An Overview saved as it read when it was saved: its view (period and filters) and every metric answer it was
 * drawn from, frozen, so a board pack's figures do not move when late events arrive. Never updated.
 */
export const overviewSnapshots = pgTable(
  "overview_snapshots",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    view: jsonb("view").notNull(),
    payload: jsonb("payload").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

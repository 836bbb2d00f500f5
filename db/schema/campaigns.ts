import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/** A give-back campaign (SPEC section 5). `id` is what events carry in their `campaign` attribute. */
export const campaigns = pgTable(
  "campaigns",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    field: text("field").notNull(),
    purpose: text("purpose"),
    region: text("region"),
    channel: text("channel"),
    action: text("action").notNull(),
    holdoutPercent: integer("holdout_percent").notNull().default(10),
    message: text("message").notNull(),
    status: text("status").notNull().default("draft"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    submittedBy: text("submitted_by"),
    submittedByUserId: bigint("submitted_by_user_id", { mode: "number" }),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    reviewedBy: text("reviewed_by"),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }),
    reviewComment: text("review_comment"),
    /** The workspace webhook URL when the campaign was approved: delivery goes there, or nowhere. */
    approvedWebhookUrl: text("approved_webhook_url"),
    launchedBy: text("launched_by"),
    launchedAt: timestamp("launched_at", { withTimezone: true }),
    /** Frozen at launch: everyone in the audience, and how many of them are held out. */
    audienceCount: integer("audience_count"),
    holdoutCount: integer("holdout_count"),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    cancelledBy: text("cancelled_by"),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("campaigns_recent_idx").on(t.workspaceId, t.createdAt),
    // launch markers on the Overview timeline
    index("campaigns_launched_idx").on(t.workspaceId, t.launchedAt),
  ],
);

/** The audience as frozen at launch. Holdout rows are never contacted; `batch` is the webhook batch of a contacted one. */
export const campaignRecipients = pgTable(
  "campaign_recipients",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    campaignId: text("campaign_id").notNull(),
    subject: text("subject").notNull(),
    holdout: boolean("holdout").notNull(),
    batch: integer("batch"),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    confirmedEventId: text("confirmed_event_id"),
    /** What the confirming event said: `deleted`, `released` or, for an `ask`, `kept`. */
    outcome: text("outcome"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.campaignId, t.subject] })],
);

/** One webhook batch of contacted recipients and where its delivery stands. */
export const campaignBatches = pgTable(
  "campaign_batches",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    campaignId: text("campaign_id").notNull(),
    batch: integer("batch").notNull(),
    deliveryId: text("delivery_id").notNull(),
    recipients: integer("recipients").notNull(),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.campaignId, t.batch] })],
);

/** The delivery log: every webhook attempt with its answer's status and size. Append-only. */
export const campaignDeliveries = pgTable(
  "campaign_deliveries",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    campaignId: text("campaign_id").notNull(),
    batch: integer("batch").notNull(),
    deliveryId: text("delivery_id").notNull(),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    /** The size of the receiver's answer; its body is never kept. */
    responseBytes: integer("response_bytes"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("campaign_deliveries_campaign_idx").on(t.workspaceId, t.campaignId, t.at),
  ],
);

export type Campaign = typeof campaigns.$inferSelect;
export type CampaignRecipient = typeof campaignRecipients.$inferSelect;
export type CampaignBatch = typeof campaignBatches.$inferSelect;
export type CampaignDelivery = typeof campaignDeliveries.$inferSelect;

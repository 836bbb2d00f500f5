import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { campaignDeliveries, campaigns, fields, type Campaign } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { can } from "@/lib/auth/permissions";
import { campaignMessage } from "./handoff";
import { campaignRow, isSubmitter } from "./store";
import type {
  CampaignAction,
  CampaignDetail,
  CampaignPermissions,
  CampaignStatus,
  CampaignSummary,
  DeliveryState,
} from "./types";
import { iso, isoOrNull, num } from "./values";

const DELIVERY_LOG_ROWS = 200;

interface Progress {
  campaign_id: string;
  contacted: unknown;
  confirmed: unknown;
  deleted: unknown;
  released: unknown;
  kept: unknown;
}

async function progressOf(db: Db, workspaceId: number, id?: string): Promise<Map<string, Progress>> {
  const found = await rows<Progress>(
    db,
    sql`SELECT campaign_id, count(*) FILTER (WHERE NOT holdout) AS contacted, count(confirmed_at) AS confirmed,
          count(*) FILTER (WHERE outcome = 'deleted') AS deleted, count(*) FILTER (WHERE outcome = 'released') AS released,
          count(*) FILTER (WHERE outcome = 'kept') AS kept
        FROM campaign_recipients WHERE workspace_id = ${workspaceId} ${id ? sql`AND campaign_id = ${id}` : sql``}
        GROUP BY campaign_id`,
  );
  return new Map(found.map((p) => [p.campaign_id, p]));
}

function summary(c: Campaign, fieldName: string, p: Progress | undefined): CampaignSummary {
  const launched = c.launchedAt !== null;
  const contacted = launched ? num(p?.contacted) : null;
  const confirmed = num(p?.confirmed);
  return {
    id: c.id,
    name: c.name,
    field: c.field,
    field_name: fieldName,
    purpose: c.purpose,
    region: c.region,
    channel: c.channel,
    action: c.action as CampaignAction,
    holdout_percent: c.holdoutPercent,
    status: c.status as CampaignStatus,
    created_by: c.createdBy,
    created_at: c.createdAt.toISOString(),
    launched_at: c.launchedAt?.toISOString() ?? null,
    audience: c.audienceCount,
    holdout: launched ? c.holdoutCount : null,
    contacted,
    confirmed,
    pending: contacted === null ? 0 : contacted - confirmed,
  };
}

export async function listCampaigns(db: Db, actor: Actor): Promise<CampaignSummary[]> {
  authorize(actor, "campaigns:read");
  const found = await db
    .select({ c: campaigns, fieldName: fields.name })
    .from(campaigns)
    .leftJoin(fields, and(eq(fields.workspaceId, campaigns.workspaceId), eq(fields.key, campaigns.field)))
    .where(eq(campaigns.workspaceId, actor.workspaceId))
    .orderBy(desc(campaigns.createdAt));
  const progress = await progressOf(db, actor.workspaceId);
  return found.map(({ c, fieldName }) => summary(c, fieldName ?? c.field, progress.get(c.id)));
}

/** Campaigns waiting for this reviewer's approval: submitted, and not by them (four eyes). 0 for a role that cannot approve. */
export async function awaitingApproval(db: Db, actor: Actor): Promise<number> {
  if (!can(actor.role, "campaigns:approve")) return 0;
  const pending = await db
    .select({ submittedBy: campaigns.submittedBy, submittedByUserId: campaigns.submittedByUserId })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, actor.workspaceId), eq(campaigns.status, "pending_approval")));
  return pending.filter((c) => !isSubmitter(actor, c)).length;
}

/** Batches are queued at launch only when a webhook was configured: none means the CSV is the hand-off. */
async function deliveryState(db: Db, workspaceId: number, id: string): Promise<DeliveryState> {
  const [d] = await rows<Record<string, unknown>>(
    db,
    sql`SELECT count(*) AS batches, count(*) FILTER (WHERE status = 'delivered') AS delivered,
          count(*) FILTER (WHERE status IN ('pending', 'sending')) AS pending, count(*) FILTER (WHERE status = 'failed') AS failed,
          coalesce(sum(recipients) FILTER (WHERE status = 'failed'), 0) AS recipients_failed
        FROM campaign_batches WHERE workspace_id = ${workspaceId} AND campaign_id = ${id}`,
  );
  return {
    webhook: num(d?.batches) > 0,
    batches: num(d?.batches),
    delivered: num(d?.delivered),
    pending: num(d?.pending),
    failed: num(d?.failed),
    recipients_failed: num(d?.recipients_failed),
  };
}

function permissions(actor: Actor, c: Campaign, delivery: DeliveryState): CampaignPermissions {
  const write = can(actor.role, "campaigns:write");
  const reviewer = can(actor.role, "campaigns:approve") && c.status === "pending_approval";
  const own = reviewer && isSubmitter(actor, c);
  return {
    edit: write && c.status === "draft",
    submit: write && c.status === "draft",
    approve: reviewer && !own,
    approve_blocked: own
      ? "You submitted this campaign: another privacy or admin user must approve it (four eyes)."
      : null,
    launch: write && c.status === "approved",
    cancel: write && ["draft", "pending_approval", "approved"].includes(c.status),
    delete: write && ["draft", "cancelled"].includes(c.status),
    handoff: write && c.launchedAt !== null,
    retry_delivery: write && delivery.failed > 0,
  };
}

export async function getCampaign(db: Db, actor: Actor, id: string): Promise<CampaignDetail> {
  authorize(actor, "campaigns:read");
  const c = await campaignRow(db, actor.workspaceId, id);
  const [field] = await db
    .select({ name: fields.name })
    .from(fields)
    .where(and(eq(fields.workspaceId, actor.workspaceId), eq(fields.key, c.field)));
  const p = (await progressOf(db, actor.workspaceId, id)).get(id);
  const delivery = await deliveryState(db, actor.workspaceId, id);
  const log = await db
    .select()
    .from(campaignDeliveries)
    .where(and(eq(campaignDeliveries.workspaceId, actor.workspaceId), eq(campaignDeliveries.campaignId, id)))
    .orderBy(desc(campaignDeliveries.at), desc(campaignDeliveries.id))
    .limit(DELIVERY_LOG_ROWS);
  return {
    ...summary(c, field?.name ?? c.field, p),
    message: c.message,
    message_text: await campaignMessage(db, c),
    submitted_by: c.submittedBy,
    submitted_at: isoOrNull(c.submittedAt),
    reviewed_by: c.reviewedBy,
    reviewed_at: isoOrNull(c.reviewedAt),
    review_comment: c.reviewComment,
    launched_by: c.launchedBy,
    completed_at: isoOrNull(c.completedAt),
    cancelled_by: c.cancelledBy,
    cancelled_at: isoOrNull(c.cancelledAt),
    outcomes: { deleted: num(p?.deleted), released: num(p?.released), kept: num(p?.kept) },
    delivery,
    delivery_log: log.map((l) => ({
      batch: l.batch,
      delivery_id: l.deliveryId,
      attempt: l.attempt,
      status_code: l.statusCode,
      response_bytes: l.responseBytes,
      error: l.error,
      duration_ms: l.durationMs,
      at: iso(l.at),
    })),
    can: permissions(actor, c, delivery),
  };
}

import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { badRequest, forbidden } from "@/lib/errors";
import { parseInput } from "@/lib/parse";
import { getWorkspaceById } from "@/lib/workspaces";
import { checkAudienceFilter, countHoldings, fieldEntry } from "./audience";
import { CampaignDraft, Review } from "./input";
import { checkTemplate, DEFAULT_TEMPLATES } from "./message";
import { campaignRow, isSubmitter, transition, wrongStatus } from "./store";

/** A draft checked against the workspace's catalog, with its message and the audience at this moment. */
async function checkedDraft(db: Db, workspaceId: number, input: unknown) {
  const d = parseInput(CampaignDraft, input);
  await fieldEntry(db, workspaceId, d.field);
  await checkAudienceFilter(db, workspaceId, d);
  const message = d.message || DEFAULT_TEMPLATES[d.action];
  checkTemplate(message, !!d.purpose);
  const { audience } = await countHoldings(db, workspaceId, d, new Date());
  return {
    name: d.name,
    field: d.field,
    purpose: d.purpose,
    region: d.region,
    channel: d.channel,
    action: d.action,
    holdoutPercent: d.holdout_percent,
    message,
    audienceCount: audience,
  };
}

function auditDetails(c: Awaited<ReturnType<typeof checkedDraft>>): Record<string, unknown> {
  return {
    name: c.name,
    field: c.field,
    purpose: c.purpose,
    region: c.region,
    channel: c.channel,
    action: c.action,
    holdout_percent: c.holdoutPercent,
    message: c.message,
    audience: c.audienceCount,
  };
}

export async function createCampaign(db: Db, actor: Actor, input: unknown): Promise<{ id: string }> {
  authorize(actor, "campaigns:write");
  const draft = await checkedDraft(db, actor.workspaceId, input);
  const id = `cmp_${randomBytes(6).toString("hex")}`;
  await db
    .insert(campaigns)
    .values({ workspaceId: actor.workspaceId, id, ...draft, status: "draft", createdBy: actor.label });
  await recordAction(db, actor, "campaign.create", id, auditDetails(draft));
  return { id };
}

/** Only a draft can be edited: what was approved is what launches. */
export async function updateCampaign(
  db: Db,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ id: string }> {
  authorize(actor, "campaigns:write");
  const before = await campaignRow(db, actor.workspaceId, id);
  if (before.status !== "draft") throw wrongStatus(before, "editing", ["draft"]);
  const draft = await checkedDraft(db, actor.workspaceId, input);
  await transition(db, actor, id, "editing", ["draft"], draft);
  await recordAction(db, actor, "campaign.update", id, auditDetails(draft));
  return { id };
}

export async function submitCampaign(db: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, "campaigns:write");
  const c = await campaignRow(db, actor.workspaceId, id);
  const { audience } = await countHoldings(db, actor.workspaceId, c, new Date());
  await transition(db, actor, id, "submitting", ["draft"], {
    status: "pending_approval",
    submittedBy: actor.label,
    submittedByUserId: actor.userId,
    submittedAt: new Date(),
    reviewedBy: null,
    reviewedAt: null,
    reviewComment: null,
    audienceCount: audience,
  });
  await recordAction(db, actor, "campaign.submit", id, { audience });
}

async function review(
  db: Db,
  actor: Actor,
  id: string,
  input: unknown,
  verdict: "approve" | "reject",
): Promise<void> {
  authorize(actor, "campaigns:approve");
  const { comment } = parseInput(Review, input ?? {});
  if (verdict === "reject" && !comment)
    throw badRequest("comment: say why the campaign is rejected, so the submitter can fix it");
  const c = await campaignRow(db, actor.workspaceId, id);
  if (c.status !== "pending_approval")
    throw wrongStatus(c, verdict === "approve" ? "approving" : "rejecting", ["pending_approval"]);
  if (isSubmitter(actor, c))
    throw forbidden(
      "four eyes: you submitted this campaign, so someone else with the privacy or admin role must review it",
    );
  const reviewed = { reviewedBy: actor.label, reviewedAt: new Date(), reviewComment: comment || null };
  // What is approved includes where the hand-off goes: the webhook URL of this moment stays the campaign's.
  const webhookUrl =
    verdict === "approve" ? (await getWorkspaceById(db, actor.workspaceId)).webhookUrl : null;
  await transition(db, actor, id, verdict === "approve" ? "approving" : "rejecting", ["pending_approval"], {
    status: verdict === "approve" ? "approved" : "draft",
    ...reviewed,
    approvedWebhookUrl: webhookUrl,
  });
  await recordAction(db, actor, `campaign.${verdict}`, id, {
    comment: comment || null,
    submitted_by: c.submittedBy,
    ...(verdict === "approve" ? { webhook_url: webhookUrl } : {}),
  });
}

export const approveCampaign = (db: Db, actor: Actor, id: string, input?: unknown) =>
  review(db, actor, id, input, "approve");
/** A rejected campaign goes back to draft with the reviewer's comment, to be fixed and submitted again. */
export const rejectCampaign = (db: Db, actor: Actor, id: string, input?: unknown) =>
  review(db, actor, id, input, "reject");

/** Before launch only: once launched, the hand-off has gone to the systems that hold the data. */
export async function cancelCampaign(db: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, "campaigns:write");
  const c = await transition(db, actor, id, "cancelling", ["draft", "pending_approval", "approved"], {
    status: "cancelled",
    cancelledBy: actor.label,
    cancelledAt: new Date(),
  });
  await recordAction(db, actor, "campaign.cancel", id, { name: c.name });
}

/**
 * A draft or a cancelled campaign (one that never launched) can be deleted: it leaves the list, and its history
 * stays in the audit log (`campaign.delete` records what it was). A launched campaign cannot: its recipients,
 * holdout and results are the record of what was done.
 */
export async function deleteCampaign(db: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, "campaigns:write");
  const c = await campaignRow(db, actor.workspaceId, id);
  const deletable = ["draft", "cancelled"] as const;
  if (!(deletable as readonly string[]).includes(c.status)) throw wrongStatus(c, "deleting", deletable);
  const [gone] = await db
    .delete(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, actor.workspaceId),
        eq(campaigns.id, id),
        inArray(campaigns.status, [...deletable]),
      ),
    )
    .returning({ id: campaigns.id });
  // Submitted or launched by someone else between the read and the delete: say so, as any other transition does.
  if (!gone) throw wrongStatus(await campaignRow(db, actor.workspaceId, id), "deleting", deletable);
  await recordAction(db, actor, "campaign.delete", id, {
    name: c.name,
    status: c.status,
    field: c.field,
    created_by: c.createdBy,
  });
}

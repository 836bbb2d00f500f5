import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns, type Campaign } from "@/db/schema";
import type { Actor } from "@/lib/auth/member";
import { AppError, notFound } from "@/lib/errors";
import type { CampaignStatus } from "./types";

export async function campaignRow(db: Db, workspaceId: number, id: string): Promise<Campaign> {
  const [c] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id)))
    .limit(1);
  if (!c) throw notFound(`campaign '${id}' does not exist`);
  return c;
}

const STATUS_WORDS: Record<CampaignStatus, string> = {
  draft: "a draft",
  pending_approval: "waiting for approval",
  approved: "approved",
  launched: "launched",
  completed: "completed",
  cancelled: "cancelled",
};

export function wrongStatus(
  c: Pick<Campaign, "id" | "status">,
  doing: string,
  allowed: readonly CampaignStatus[],
): AppError {
  const now = STATUS_WORDS[c.status as CampaignStatus] ?? c.status;
  return new AppError(
    "conflict",
    `campaign '${c.id}' is ${now}; ${doing} needs it ${allowed.map((s) => STATUS_WORDS[s]).join(" or ")}`,
  );
}

/**
 * Moves a campaign on in its lifecycle with one conditional update, so that two people acting at once cannot both
 * succeed: the loser gets a 409 naming the state it found.
 */
export async function transition(
  db: Db,
  actor: Actor,
  id: string,
  doing: string,
  from: readonly CampaignStatus[],
  set: Partial<typeof campaigns.$inferInsert>,
): Promise<Campaign> {
  const [updated] = await db
    .update(campaigns)
    .set({ ...set, updatedAt: new Date() })
    .where(
      and(
        eq(campaigns.workspaceId, actor.workspaceId),
        eq(campaigns.id, id),
        inArray(campaigns.status, [...from]),
      ),
    )
    .returning();
  if (updated) return updated;
  throw wrongStatus(await campaignRow(db, actor.workspaceId, id), doing, from);
}

/** Four eyes: whoever submitted a campaign may not approve or reject it. */
export function isSubmitter(actor: Actor, c: Pick<Campaign, "submittedBy" | "submittedByUserId">): boolean {
  if (actor.userId !== null && c.submittedByUserId !== null) return actor.userId === c.submittedByUserId;
  return actor.label === c.submittedBy;
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { Campaign } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { getWorkspaceById } from "@/lib/workspaces";
import { fieldEntry, holdingsSql } from "./audience";
import { heldOutSql } from "./holdout";
import { transition } from "./store";
import { num } from "./values";

/** Recipients per signed webhook request. */
export const WEBHOOK_BATCH_SIZE = 500;

export interface LaunchResult {
  id: string;
  launched_at: string;
  audience: number;
  holdout: number;
  contacted: number;
  batches: number;
}

export interface FrozenAudience {
  audience: number;
  holdout: number;
  batches: number;
}

/**
 * Writes the campaign's audience at `at` into the recipients table, each with its holdout flag and webhook batch,
 * and records the counts on the campaign. Refuses an empty audience (409), which rolls the launch back.
 */
export async function freezeAudience(tx: Db, c: Campaign, at: Date): Promise<FrozenAudience> {
  const field = await fieldEntry(tx, c.workspaceId, c.field);
  const audience = holdingsSql(c.workspaceId, c, at, field.dormancyDays);
  await tx.execute(sql`
    INSERT INTO campaign_recipients (workspace_id, campaign_id, subject, holdout, batch)
    SELECT ${c.workspaceId}::bigint, ${c.id}, a.subject, a.holdout,
      CASE WHEN a.holdout THEN NULL ELSE ((row_number() OVER (PARTITION BY a.holdout ORDER BY a.subject COLLATE "C")) - 1) / ${WEBHOOK_BATCH_SIZE} END
    FROM (SELECT q.subject, ${heldOutSql(c.id, sql.raw("q.subject"), c.holdoutPercent)} AS holdout FROM (${audience}) q WHERE q.dormant) a`);
  const [counts] = await rows<{ audience: unknown; holdout: unknown; batches: unknown }>(
    tx,
    sql`SELECT count(*) AS audience, count(*) FILTER (WHERE holdout) AS holdout, count(DISTINCT batch) AS batches
        FROM campaign_recipients WHERE workspace_id = ${c.workspaceId} AND campaign_id = ${c.id}`,
  );
  const frozen = {
    audience: num(counts?.audience),
    holdout: num(counts?.holdout),
    batches: num(counts?.batches),
  };
  if (frozen.audience === 0)
    throw new AppError(
      "conflict",
      "the audience is empty at this moment: no dormant holdings match, so there is nothing to give back",
    );
  await tx.execute(sql`UPDATE campaigns SET audience_count = ${frozen.audience}, holdout_count = ${frozen.holdout}
    WHERE workspace_id = ${c.workspaceId} AND id = ${c.id}`);
  return frozen;
}

/**
 * Launch: the move to `launched` and the freeze in one transaction. A second launch finds the campaign launched and
 * is refused (409), so nothing is frozen or sent twice. Recipients whose hash falls in the holdout are kept, never
 * contacted. With a webhook configured the batches are queued here and sent by `deliverCampaign` after the commit.
 */
export async function launchCampaign(
  db: Db,
  actor: Actor,
  id: string,
  at = new Date(),
): Promise<LaunchResult> {
  authorize(actor, "campaigns:write");
  return db.transaction(async (tx) => {
    const c = await transition(tx, actor, id, "launching", ["approved"], {
      status: "launched",
      launchedAt: at,
      launchedBy: actor.label,
    });
    const frozen = await freezeAudience(tx, c, at);
    const ws = await getWorkspaceById(tx, actor.workspaceId);
    // The URL approved with the campaign, not today's Settings (see deliverCampaign).
    const webhook = !!(c.approvedWebhookUrl && ws.webhookSecret);
    if (webhook) {
      await tx.execute(sql`
        INSERT INTO campaign_batches (workspace_id, campaign_id, batch, delivery_id, recipients)
        SELECT ${actor.workspaceId}::bigint, ${id}, batch, ${id} || '.' || batch, count(*)
        FROM campaign_recipients WHERE workspace_id = ${actor.workspaceId} AND campaign_id = ${id} AND NOT holdout
        GROUP BY batch`);
    }
    const launched: LaunchResult = {
      id,
      launched_at: at.toISOString(),
      audience: frozen.audience,
      holdout: frozen.holdout,
      contacted: frozen.audience - frozen.holdout,
      batches: webhook ? frozen.batches : 0,
    };
    await recordAction(tx, actor, "campaign.launch", id, { ...launched, webhook });
    return launched;
  });
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { campaignDeliveries, type Campaign } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction, recordAudit } from "@/lib/audit";
import { errorFields, log } from "@/lib/log";
import { track } from "@/lib/server/database";
import { getWorkspaceById } from "@/lib/workspaces";
import { campaignMessage } from "./handoff";
import { campaignRow } from "./store";
import { isDelivered, isRetryable, postSigned, type WebhookAttempt } from "./webhook";

export interface DeliveryOptions {
  maxAttempts?: number;
  /** The wait before the second attempt; it doubles before each further one. */
  backoffMs?: number;
  timeoutMs?: number;
}

export interface DeliveryRun {
  delivered: number;
  failed: number;
}

/** A batch being sent longer than this was left behind by a stopped process and may be taken again. */
const STALE_CLAIM = "10 minutes";

interface ClaimedBatch {
  batch: number;
  delivery_id: string;
  attempts: number;
}

/** Takes the next batch to send; the conditional update lets only one sender have it. */
async function claimNext(db: Db, workspaceId: number, id: string): Promise<ClaimedBatch | undefined> {
  const open = sql`workspace_id = ${workspaceId} AND campaign_id = ${id}
    AND (status = 'pending' OR (status = 'sending' AND claimed_at < now() - ${STALE_CLAIM}::interval))`;
  const [claimed] = await rows<ClaimedBatch>(
    db,
    sql`UPDATE campaign_batches SET status = 'sending', claimed_at = now()
        WHERE ${open} AND batch = (SELECT min(batch) FROM campaign_batches WHERE ${open})
        RETURNING batch, delivery_id, attempts`,
  );
  return claimed
    ? { ...claimed, batch: Number(claimed.batch), attempts: Number(claimed.attempts) }
    : undefined;
}

async function batchBody(
  db: Db,
  c: Campaign,
  batch: ClaimedBatch,
  batches: number,
  message: string,
): Promise<string> {
  const recipients = await rows<{ subject: string }>(
    db,
    sql`SELECT subject FROM campaign_recipients
        WHERE workspace_id = ${c.workspaceId} AND campaign_id = ${c.id} AND batch = ${batch.batch} AND NOT holdout
        ORDER BY subject COLLATE "C"`,
  );
  return JSON.stringify({
    delivery_id: batch.delivery_id,
    campaign: { id: c.id, name: c.name, field: c.field, purpose: c.purpose, action: c.action },
    batch: batch.batch,
    batches,
    recipients: recipients.map((r) => ({ subject: r.subject, field: c.field, action: c.action, message })),
  });
}

async function finishBatch(
  db: Db,
  c: Campaign,
  batch: ClaimedBatch,
  attempts: number,
  last: WebhookAttempt,
): Promise<boolean> {
  const ok = isDelivered(last);
  await db.execute(sql`UPDATE campaign_batches
    SET status = ${ok ? "delivered" : "failed"}, attempts = ${attempts}, delivered_at = ${ok ? sql`now()` : null}, last_error = ${last.error}
    WHERE workspace_id = ${c.workspaceId} AND campaign_id = ${c.id} AND batch = ${batch.batch}`);
  await recordAudit(db, {
    workspaceId: c.workspaceId,
    actor: "system",
    action: "campaign.webhook_delivery",
    target: c.id,
    details: {
      batch: batch.batch,
      delivery_id: batch.delivery_id,
      result: ok ? "delivered" : "failed",
      attempts,
      status_code: last.statusCode,
      response_bytes: last.responseBytes,
      error: last.error,
    },
  });
  return ok;
}

/**
 * Sends every queued batch of a launched campaign to the webhook URL the campaign was approved with (a URL changed
 * in Settings afterwards is not used for it): signed, retried with exponential
 * back-off, each attempt written to the delivery log. A delivered batch is never sent again; a batch that
 * exhausted its attempts is `failed` until someone retries it.
 */
export async function deliverCampaign(
  db: Db,
  workspaceId: number,
  id: string,
  opts: DeliveryOptions = {},
): Promise<DeliveryRun> {
  const { maxAttempts = 5, backoffMs = 1000, timeoutMs = 10_000 } = opts;
  const c = await campaignRow(db, workspaceId, id);
  const ws = await getWorkspaceById(db, workspaceId);
  const [total] = await rows<{ n: string | number }>(
    db,
    sql`SELECT count(*) AS n FROM campaign_batches WHERE workspace_id = ${workspaceId} AND campaign_id = ${id}`,
  );
  const message = await campaignMessage(db, c);
  const run: DeliveryRun = { delivered: 0, failed: 0 };
  for (
    let batch = await claimNext(db, workspaceId, id);
    batch;
    batch = await claimNext(db, workspaceId, id)
  ) {
    const body = await batchBody(db, c, batch, Number(total?.n ?? 0), message);
    let attempts = batch.attempts;
    const url = c.approvedWebhookUrl;
    let last: WebhookAttempt = {
      statusCode: null,
      responseBytes: null,
      error: url
        ? "no webhook secret configured for the workspace"
        : "the campaign was approved without a webhook URL",
      durationMs: 0,
      refused: false,
    };
    for (let i = 0; i < maxAttempts && url && ws.webhookSecret; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (i - 1)));
      last = await postSigned({
        url,
        secret: ws.webhookSecret,
        deliveryId: batch.delivery_id,
        body,
        timeoutMs,
      });
      attempts++;
      await db.insert(campaignDeliveries).values({
        workspaceId,
        campaignId: id,
        batch: batch.batch,
        deliveryId: batch.delivery_id,
        attempt: attempts,
        statusCode: last.statusCode,
        responseBytes: last.responseBytes,
        error: last.error,
        durationMs: last.durationMs,
      });
      if (isDelivered(last) || !isRetryable(last)) break;
    }
    if (await finishBatch(db, c, batch, attempts, last)) run.delivered++;
    else run.failed++;
  }
  return run;
}

/** Starts the delivery after the response; shutdown waits for it (`track`). Errors are logged, the log keeps the rest. */
export function deliverInBackground(db: Db, workspaceId: number, id: string): void {
  track(() => deliverCampaign(db, workspaceId, id)).catch((e: unknown) =>
    log("error", "campaign delivery stopped", { campaign: id, ...errorFields(e) }),
  );
}

/** Queues the failed batches (and any left behind by a stopped process) again. */
export async function retryDelivery(db: Db, actor: Actor, id: string): Promise<{ queued: number }> {
  authorize(actor, "campaigns:write");
  await campaignRow(db, actor.workspaceId, id);
  const queued = await rows<{ batch: number }>(
    db,
    sql`UPDATE campaign_batches SET status = 'pending'
        WHERE workspace_id = ${actor.workspaceId} AND campaign_id = ${id}
          AND (status = 'failed' OR (status = 'sending' AND claimed_at < now() - ${STALE_CLAIM}::interval))
        RETURNING batch`,
  );
  await recordAction(db, actor, "campaign.webhook_retry", id, { batches: queued.length });
  return { queued: queued.length };
}

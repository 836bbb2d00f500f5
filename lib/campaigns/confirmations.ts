import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { StoredEventRow } from "@/lib/events/stored";
import { iso } from "./values";

/**
 * The event types that can confirm a campaign's execution for a recipient: `data.deleted` (delete, or an `ask`
 * answered "delete"), `consent.withdrawn` (release), and for an `ask` a `data.collected` — the customer chose to
 * keep the field, which refreshes it.
 */
const CONFIRMING = new Set(["data.deleted", "consent.withdrawn", "data.collected"]);

/**
 * Runs in the ingest transaction (called from `applyDerivedState`): marks the recipients that events carrying a
 * campaign id confirm, and completes the campaigns whose contacted recipients are all confirmed. Set-based; a batch
 * without campaign events costs nothing.
 */
export async function confirmCampaignRecipients(
  tx: Db,
  workspaceId: number,
  stored: readonly StoredEventRow[],
): Promise<void> {
  const confirming = stored.filter((e) => e.campaign && e.subject && CONFIRMING.has(e.type));
  if (!confirming.length) return;
  const ids = [...new Set(confirming.map((e) => e.campaign as string))].sort();
  // Locks the campaigns first (sorted: no deadlock), so that of two batches confirming the same campaign at
  // once the second sees the first's recipients and the completion below cannot be missed.
  const locked = await rows<{ id: string }>(
    tx,
    sql`SELECT id FROM campaigns WHERE workspace_id = ${workspaceId} AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
          AND status IN ('launched', 'completed')
        ORDER BY id FOR UPDATE`,
  );
  if (!locked.length) return;
  const payload = JSON.stringify(
    confirming.map((e) => ({
      id: e.id,
      campaign: e.campaign,
      subject: e.subject,
      type: e.type,
      field: e.field ?? null,
      purpose: e.purpose ?? null,
      occurred_at: e.occurred_at,
      seq: e.seq,
    })),
  );
  await tx.execute(sql`
    UPDATE campaign_recipients r SET confirmed_at = m.occurred_at, confirmed_event_id = m.id, outcome = m.outcome
    FROM (
      SELECT DISTINCT ON (e.campaign, e.subject) e.campaign, e.subject, e.id, e.occurred_at,
        CASE WHEN e.type = 'data.deleted' THEN 'deleted' WHEN e.type = 'consent.withdrawn' THEN 'released' ELSE 'kept' END AS outcome
      FROM jsonb_to_recordset(${payload}::jsonb)
        AS e(id text, campaign text, subject text, type text, field text, purpose text, occurred_at timestamptz, seq bigint)
      JOIN campaigns c ON c.workspace_id = ${workspaceId} AND c.id = e.campaign
      WHERE (c.action IN ('delete', 'ask') AND e.type = 'data.deleted' AND e.field = c.field)
         OR (c.action = 'release' AND e.type = 'consent.withdrawn' AND e.purpose = c.purpose)
         OR (c.action = 'ask' AND e.type = 'data.collected' AND e.field = c.field)
      ORDER BY e.campaign, e.subject, e.occurred_at, e.seq
    ) m
    WHERE r.workspace_id = ${workspaceId} AND r.campaign_id = m.campaign AND r.subject = m.subject
      AND NOT r.holdout AND r.confirmed_at IS NULL`);
  const completed = await rows<{ id: string; completed_at: unknown }>(
    tx,
    sql`UPDATE campaigns c SET status = 'completed', updated_at = now(),
          completed_at = (SELECT max(r.confirmed_at) FROM campaign_recipients r WHERE r.workspace_id = ${workspaceId} AND r.campaign_id = c.id)
        WHERE c.workspace_id = ${workspaceId} AND c.status = 'launched'
          AND c.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(locked.map((l) => l.id))}::jsonb))
          AND NOT EXISTS (SELECT 1 FROM campaign_recipients r
                          WHERE r.workspace_id = ${workspaceId} AND r.campaign_id = c.id AND NOT r.holdout AND r.confirmed_at IS NULL)
        RETURNING c.id, c.completed_at`,
  );
  for (const c of completed) {
    await recordAudit(tx, {
      workspaceId,
      actor: "system",
      action: "campaign.complete",
      target: c.id,
      details: { completed_at: iso(c.completed_at) },
    });
  }
}

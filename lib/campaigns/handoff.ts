import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { Campaign } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { toCsv } from "@/lib/csv";
import { AppError } from "@/lib/errors";
import { fieldEntry, purposeEntry } from "./audience";
import { renderMessage } from "./message";
import { campaignRow } from "./store";

/** The campaign's message as each contacted customer reads it. */
export async function campaignMessage(db: Db, c: Campaign): Promise<string> {
  const field = await fieldEntry(db, c.workspaceId, c.field);
  const purpose = c.purpose ? await purposeEntry(db, c.workspaceId, c.purpose) : null;
  return renderMessage(c.message, { field: field.name, purpose: purpose?.name ?? null });
}

export const HANDOFF_COLUMNS = ["subject", "field", "action", "message"] as const;

/** The hand-off for the systems that hold the data: one row per contacted recipient (the holdout is left out). */
export async function handoffCsv(db: Db, actor: Actor, id: string): Promise<{ filename: string; csv: string; rows: number }> {
  authorize(actor, "campaigns:write");
  const c = await campaignRow(db, actor.workspaceId, id);
  if (!c.launchedAt) throw new AppError("conflict", `campaign '${id}' has not been launched: the hand-off exists from launch on`);
  const message = await campaignMessage(db, c);
  const recipients = await rows<{ subject: string }>(
    db,
    sql`SELECT subject FROM campaign_recipients WHERE workspace_id = ${actor.workspaceId} AND campaign_id = ${id} AND NOT holdout
        ORDER BY subject COLLATE "C"`,
  );
  // Unlike the audit export, a leading `=` is not neutralised: the receiving system matches
  // subjects byte for byte, so the file must carry them exactly.
  const csv = toCsv(HANDOFF_COLUMNS, recipients.map((r) => [r.subject, c.field, c.action, message]));
  await recordAction(db, actor, "campaign.handoff_download", id, { rows: recipients.length });
  return { filename: `${id}-handoff.csv`, csv, rows: recipients.length };
}

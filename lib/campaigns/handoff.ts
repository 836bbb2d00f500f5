import "server-only";
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
export const HANDOFF_FORMATS = ["csv", "json"] as const;
export type HandoffFormat = (typeof HANDOFF_FORMATS)[number];

/** The hand-off as JSON: the subjects exactly as they were sent, for systems that match byte for byte. */
export interface HandoffJson {
  campaign: string;
  field: string;
  action: string;
  message: string;
  count: number;
  subjects: string[];
}

export interface HandoffFile {
  filename: string;
  contentType: string;
  body: string;
  rows: number;
}

/**
 * The hand-off for the systems that hold the data: one row per contacted recipient (the holdout is left out).
 * CSV for people and spreadsheets: a cell that could run as a formula is neutralised (lib/csv.ts), so a
 * subject such as `=cus_1` reads `'=cus_1` there. JSON carries every subject exactly as it was sent.
 */
export async function handoffFile(
  db: Db,
  actor: Actor,
  id: string,
  format: HandoffFormat = "csv",
): Promise<HandoffFile> {
  authorize(actor, "campaigns:write");
  const c = await campaignRow(db, actor.workspaceId, id);
  if (!c.launchedAt)
    throw new AppError(
      "conflict",
      `campaign '${id}' has not been launched: the hand-off exists from launch on`,
    );
  const message = await campaignMessage(db, c);
  const recipients = await rows<{ subject: string }>(
    db,
    sql`SELECT subject FROM campaign_recipients WHERE workspace_id = ${actor.workspaceId} AND campaign_id = ${id} AND NOT holdout
        ORDER BY subject COLLATE "C"`,
  );
  await recordAction(db, actor, "campaign.handoff_download", id, { rows: recipients.length, format });
  if (format === "json") {
    const json: HandoffJson = {
      campaign: id,
      field: c.field,
      action: c.action,
      message,
      count: recipients.length,
      subjects: recipients.map((r) => r.subject),
    };
    return {
      filename: `${id}-handoff.json`,
      contentType: "application/json; charset=utf-8",
      body: JSON.stringify(json),
      rows: recipients.length,
    };
  }
  const csv = toCsv(
    HANDOFF_COLUMNS,
    recipients.map((r) => [r.subject, c.field, c.action, message]),
  );
  return {
    filename: `${id}-handoff.csv`,
    contentType: "text/csv; charset=utf-8",
    body: csv,
    rows: recipients.length,
  };
}

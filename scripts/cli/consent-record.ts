import type { Db } from "@/db/client";
import { consentRecord } from "@/lib/consent-record";
import { requireWorkspace } from "@/lib/workspaces";
import { printJson, requireOption } from "./context";

/** `tl export consent-record`: prints the same JSON as GET /api/v1/subjects/<id>/consent-record. */
export async function consentRecordCommand(db: Db, values: Record<string, string | boolean | undefined>): Promise<void> {
  const subject = requireOption(values, "subject");
  const ws = await requireWorkspace(db, requireOption(values, "workspace"));
  printJson(await consentRecord(db, ws.id, subject));
}

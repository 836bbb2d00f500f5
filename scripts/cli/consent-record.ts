import type { Db } from "@/db/client";
import { cliActor } from "@/lib/auth/member";
import { readConsentRecord } from "@/lib/consent-record/read";
import { requireWorkspace } from "@/lib/workspaces";
import { printJson, requireOption } from "./context";

/** `tl export consent-record`: prints the same JSON as GET /api/v1/subjects/<id>/consent-record; audited as "cli". */
export async function consentRecordCommand(
  db: Db,
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  const subject = requireOption(values, "subject");
  const ws = await requireWorkspace(db, requireOption(values, "workspace"));
  printJson(await readConsentRecord(db, cliActor(ws.id), subject));
}

import type { Db } from "@/db/client";
import { authorizeIndividualRead, type Actor } from "@/lib/auth/member";
import { recordAudit } from "@/lib/audit";
import { consentRecord, type ConsentRecord } from "./index";

/** Who reads a consent record: a member or the CLI (an Actor), or an API key with the `read` scope. */
export type ConsentRecordReader = Actor | { workspaceId: number; apiKeyId: number; ip: string | null };

export const CONSENT_RECORD_READ = "subject.consent_record_read";

/**
 * A subject's consent record for someone allowed to read individual-level data (admin, privacy, a read key; never
 * marketers or executives), written to the audit log. The entry names the record by its `record_id` (a UUID derived
 * from workspace and subject), not by the subject id itself: the audit log is exported and read more widely than the
 * records, and whoever may read the record can match the two.
 */
export async function readConsentRecord(
  db: Db,
  reader: ConsentRecordReader,
  subject: string,
): Promise<ConsentRecord> {
  if ("role" in reader) authorizeIndividualRead(reader, "consent-record");
  const record = await consentRecord(db, reader.workspaceId, subject);
  await recordAudit(db, {
    workspaceId: reader.workspaceId,
    actor: "label" in reader ? reader.label : `api_key:${reader.apiKeyId}`,
    action: CONSENT_RECORD_READ,
    target: record.record_id,
    details: { kind: "consent-record", events: record.events.length },
    ip: reader.ip,
  });
  return record;
}

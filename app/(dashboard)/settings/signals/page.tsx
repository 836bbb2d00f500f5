import { requireMember } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";
import { defaultSignalMapping } from "@/lib/signals/mapping";
import { MAPPING_SECTIONS, SEGMENT_FIELD, mappingToForm } from "@/lib/signals/mapping-form";
import { loadSignalMapping } from "@/lib/signals/settings";
import { listPurposeKeys } from "@/lib/workspaces";
import { SignalMappingForm } from "./mapping-form";

export default async function SignalSettings() {
  const member = await requireMember("settings:write");
  const db = await getDb();
  const [mapping, purposes] = await Promise.all([
    loadSignalMapping(db, member.workspaceId),
    listPurposeKeys(db, member.workspaceId),
  ]);
  return (
    <SignalMappingForm
      sections={MAPPING_SECTIONS}
      segmentField={SEGMENT_FIELD}
      initial={mappingToForm(mapping)}
      defaults={mappingToForm(defaultSignalMapping)}
      purposes={purposes}
    />
  );
}

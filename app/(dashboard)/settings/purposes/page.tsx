import { actorOf } from "@/lib/auth/member";
import { can } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";
import { getCatalog } from "@/lib/settings/catalog";
import { LEGAL_BASES, SENSITIVITIES } from "@/lib/workspaces/config";
import { FieldsEditor } from "./fields-editor";
import { PurposesEditor } from "./purposes-editor";
import styles from "../settings.module.css";

export default async function PurposesSettings() {
  const member = await requireMember("settings:read");
  const catalog = await getCatalog(await getDb(), actorOf(member, null));
  const canWrite = can(member.role, "settings:write");
  return (
    <div className={styles.stack}>
      <PurposesEditor initial={catalog} legalBases={[...LEGAL_BASES]} canWrite={canWrite} />
      <FieldsEditor initial={catalog} sensitivities={[...SENSITIVITIES]} canWrite={canWrite} />
    </div>
  );
}

import type { Db } from "@/db/client";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { parseInput } from "@/lib/parse";
import { applyWorkspaceConfig, exportWorkspaceConfig, type ExportedConfig } from "@/lib/workspaces";
import { FieldConfig, PurposeConfig } from "@/lib/workspaces/config";

/** Purposes and fields of the actor's workspace, as `config export` prints them. */
export async function getCatalog(db: Db, actor: Actor): Promise<ExportedConfig> {
  authorize(actor, "settings:read");
  return exportWorkspaceConfig(db, actor.workspaceId);
}

/** Declares or edits a purpose: the same validation and upsert as `config apply`. */
export async function savePurpose(db: Db, actor: Actor, input: unknown): Promise<PurposeConfig> {
  authorize(actor, "settings:write");
  const purpose = parseInput(PurposeConfig, input);
  await applyWorkspaceConfig(db, actor.workspaceId, { purposes: [purpose] });
  await recordAction(db, actor, "settings.purpose_save", purpose.key, {
    name: purpose.name,
    legal_basis: purpose.legal_basis ?? null,
  });
  return purpose;
}

/** Declares or edits a field and its purpose links: the same validation and upsert as `config apply`. */
export async function saveField(db: Db, actor: Actor, input: unknown): Promise<FieldConfig> {
  authorize(actor, "settings:write");
  const field = parseInput(FieldConfig, input);
  await applyWorkspaceConfig(db, actor.workspaceId, { fields: [field] });
  await recordAction(db, actor, "settings.field_save", field.key, {
    name: field.name,
    sensitivity: field.sensitivity,
    dormancy_days: field.dormancy_days,
    purposes: field.purposes,
  });
  return field;
}

import { actorOf } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { SCOPES } from "@/lib/keys";
import { getDb } from "@/lib/server/database";
import { listKeys } from "@/lib/settings/keys";
import { KeysManager } from "./keys-manager";

export default async function KeysSettings() {
  const member = await requireMember("keys:manage");
  const keys = await listKeys(await getDb(), actorOf(member, null));
  return <KeysManager initial={keys} scopes={[...SCOPES]} />;
}

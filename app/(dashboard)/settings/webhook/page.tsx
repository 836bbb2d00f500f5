import { actorOf } from "@/lib/auth/member";
import { can } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";
import { getWebhook } from "@/lib/settings/webhook";
import { WebhookForm } from "./webhook-form";

export default async function WebhookSettings() {
  const member = await requireMember("settings:read");
  const webhook = await getWebhook(await getDb(), actorOf(member, null));
  return <WebhookForm initial={webhook} canWrite={can(member.role, "settings:write")} />;
}

import { actorOf } from "@/lib/auth/member";
import { can } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";
import { DEFAULT_TRUST_WEIGHTS, getTrustWeights } from "@/lib/settings/weights";
import { WeightsForm } from "./weights-form";

export default async function TrustIndexSettings() {
  const member = await requireMember("settings:read");
  const weights = await getTrustWeights(await getDb(), actorOf(member, null));
  return (
    <WeightsForm
      initial={weights}
      defaults={{ ...DEFAULT_TRUST_WEIGHTS }}
      canWrite={can(member.role, "settings:write")}
    />
  );
}

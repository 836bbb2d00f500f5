import { actorOf } from "@/lib/auth/member";
import { ROLES } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";
import { listMembers } from "@/lib/users";
import { UsersManager } from "./users-manager";

export default async function UsersSettings() {
  const member = await requireMember("users:manage");
  const members = await listMembers(await getDb(), actorOf(member, null));
  return <UsersManager initial={members} roles={[...ROLES]} me={member.userId} />;
}

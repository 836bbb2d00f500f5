import { actorOf } from "@/lib/auth/member";
import { ROLES } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";
import { listMembers } from "@/lib/users";
import { listInvitations } from "@/lib/users/invitations";
import { UsersManager } from "./users-manager";

export default async function UsersSettings() {
  const member = await requireMember("users:manage");
  const db = await getDb();
  const actor = actorOf(member, null);
  const initial = { members: await listMembers(db, actor), invitations: await listInvitations(db, actor) };
  return <UsersManager initial={initial} roles={[...ROLES]} me={member.userId} />;
}

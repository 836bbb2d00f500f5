import type { Metadata } from "next";
import { requireMember } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";
import { invitationsForMe } from "@/lib/users/invitations";
import { AccountView } from "./account-view";

export const metadata: Metadata = { title: "Account · Trustledger" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const member = await requireMember();
  const invitations = await invitationsForMe(await getDb(), member);
  return <AccountView email={member.email} initialInvitations={invitations} />;
}

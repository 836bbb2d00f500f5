import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { hashPassword } from "./password";

/** The local demo's shared password: documented in the README, never for a real deployment. */
export const DEMO_PASSWORD = process.env.TL_DEMO_PASSWORD || "demo-password";

export const DEMO_USERS: readonly { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.trustledger.test", name: "Ada Admin", role: "admin" },
  { email: "privacy@demo.trustledger.test", name: "Priya Privacy", role: "privacy" },
  // A second privacy user, so a campaign one of them submits can be approved by the other (four eyes).
  { email: "privacy2@demo.trustledger.test", name: "Paul Privacy", role: "privacy" },
  { email: "marketer@demo.trustledger.test", name: "Mara Marketer", role: "marketer" },
  { email: "executive@demo.trustledger.test", name: "Ezra Executive", role: "executive" },
];

/** One user per role in the demo workspace, all with DEMO_PASSWORD. Running it again resets them. */
export async function createDemoUsers(
  db: Db,
  workspaceId: number,
): Promise<{ email: string; role: Role; password: string }[]> {
  for (const u of DEMO_USERS) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const [row] = await db
      .insert(users)
      .values({ email: u.email, name: u.name, passwordHash })
      .onConflictDoUpdate({ target: users.email, set: { name: u.name, passwordHash } })
      .returning({ id: users.id });
    if (!row) throw new Error(`demo user ${u.email} was not saved`);
    await db
      .insert(memberships)
      .values({ workspaceId, userId: row.id, role: u.role })
      .onConflictDoUpdate({ target: [memberships.workspaceId, memberships.userId], set: { role: u.role } });
  }
  return DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: DEMO_PASSWORD }));
}

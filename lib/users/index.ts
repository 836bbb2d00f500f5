import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { memberships, users, type User } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { recordAction } from "@/lib/audit";
import { AppError, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/parse";
import { issueInvitation, type IssuedInvitation } from "./invitations";

export type { IssuedInvitation, PendingInvitation, InvitationForMe } from "./invitations";

export const Email = z.string().trim().toLowerCase().pipe(z.email("expected an e-mail address").max(254));

export const NewMember = z.object({
  email: Email,
  name: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((s) => s || null),
  role: z.enum(ROLES),
});
export type NewMember = z.input<typeof NewMember>;

export interface MemberRow {
  user_id: number;
  email: string;
  name: string | null;
  role: Role;
  since: string;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row;
}

export async function userWorkspaceIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .select({ id: memberships.workspaceId })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return rows.map((r) => r.id);
}

export async function listMembers(db: Db, actor: Actor): Promise<MemberRow[]> {
  authorize(actor, "users:manage");
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, actor.workspaceId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({
    user_id: r.userId,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    since: r.since.toISOString(),
  }));
}

/**
 * Invites someone into the actor's workspace: always an invitation with a one-time password, whether or not the
 * e-mail has an account (the answer is the same, so it tells no admin which addresses have accounts elsewhere).
 * Nobody becomes a member until the invitation is redeemed or accepted by the address's owner.
 */
export async function inviteMember(db: Db, actor: Actor, input: unknown): Promise<IssuedInvitation> {
  authorize(actor, "users:manage");
  return issueInvitation(db, actor, parseInput(NewMember, input));
}

/** Ends every session of the account: cookies carrying an older version stop working at their next request. */
export async function endSessions(db: Db, userId: number): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

/** The user's role in the workspace; 404 (the same for an unknown user) when they are not a member of it. */
export async function membershipRole(db: Db, workspaceId: number, userId: number): Promise<Role> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw notFound(`user ${userId} is not a member of this workspace`);
  return row.role as Role;
}

async function assertAnotherAdmin(db: Db, workspaceId: number, userId: number): Promise<void> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.role, "admin"),
        sql`${memberships.userId} <> ${userId}`,
      ),
    );
  if (!row || Number(row.n) === 0)
    throw new AppError("conflict", "a workspace keeps at least one admin: make someone else admin first");
}

async function userEmail(db: Db, userId: number): Promise<string> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.email ?? String(userId);
}

const RoleChange = z.object({ userId: z.coerce.number().int().positive(), role: z.enum(ROLES) });

export async function changeRole(db: Db, actor: Actor, input: unknown): Promise<MemberRow["role"]> {
  authorize(actor, "users:manage");
  const { userId, role } = parseInput(RoleChange, input);
  const before = await membershipRole(db, actor.workspaceId, userId);
  if (before === role) return role;
  if (before === "admin") await assertAnotherAdmin(db, actor.workspaceId, userId);
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
  await endSessions(db, userId);
  await recordAction(db, actor, "user.role_change", await userEmail(db, userId), { from: before, to: role });
  return role;
}

const Removal = z.object({ userId: z.coerce.number().int().positive() });

/** Removes the membership; the account stays for the user's other workspaces. */
export async function removeMember(db: Db, actor: Actor, input: unknown): Promise<void> {
  authorize(actor, "users:manage");
  const { userId } = parseInput(Removal, input);
  const role = await membershipRole(db, actor.workspaceId, userId);
  if (role === "admin") await assertAnotherAdmin(db, actor.workspaceId, userId);
  await db
    .delete(memberships)
    .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
  await endSessions(db, userId);
  await recordAction(db, actor, "user.remove", await userEmail(db, userId), { role });
}

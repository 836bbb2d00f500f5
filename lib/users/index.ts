import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { memberships, users, type User } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { recordAction } from "@/lib/audit";
import { AppError, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/parse";
import { generatePassword, hashPassword } from "./password";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("expected an e-mail address").max(254));

export const NewMember = z.object({
  email: Email,
  name: z.string().trim().max(200).optional().transform((s) => s || null),
  role: z.enum(ROLES),
});
export type NewMember = z.input<typeof NewMember>;

export interface CreatedMember {
  id: number;
  email: string;
  /** The one-time password, shown once; null when the e-mail already had an account (it keeps its password). */
  password: string | null;
}

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
  const rows = await db.select({ id: memberships.workspaceId }).from(memberships).where(eq(memberships.userId, userId));
  return rows.map((r) => r.id);
}

export async function listMembers(db: Db, actor: Actor): Promise<MemberRow[]> {
  authorize(actor, "users:manage");
  const rows = await db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, actor.workspaceId))
    .orderBy(asc(users.email));
  return rows.map((r) => ({ user_id: r.userId, email: r.email, name: r.name, role: r.role as Role, since: r.since.toISOString() }));
}

/**
 * Invites someone into the actor's workspace. A new e-mail gets an account with a generated one-time password;
 * an existing account is only given the membership (its password is never reset from another workspace).
 */
export async function inviteMember(db: Db, actor: Actor, input: unknown): Promise<CreatedMember> {
  authorize(actor, "users:manage");
  const { email, name, role } = parseInput(NewMember, input);
  const existing = await findUserByEmail(db, email);
  let password: string | null = null;
  let userId: number;
  if (existing) {
    userId = existing.id;
  } else {
    password = generatePassword();
    const [created] = await db.insert(users).values({ email, name, passwordHash: await hashPassword(password) }).onConflictDoNothing().returning({ id: users.id });
    if (!created) throw new AppError("conflict", `a user with the e-mail ${email} was created meanwhile: try again`);
    userId = created.id;
  }
  const [joined] = await db.insert(memberships).values({ workspaceId: actor.workspaceId, userId, role }).onConflictDoNothing().returning({ userId: memberships.userId });
  if (!joined) throw new AppError("conflict", `${email} is already a member of this workspace`);
  await recordAction(db, actor, "user.invite", email, { role, new_account: !existing });
  return { id: userId, email, password };
}

async function membershipRole(db: Db, workspaceId: number, userId: number): Promise<Role> {
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
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "admin"), sql`${memberships.userId} <> ${userId}`));
  if (!row || Number(row.n) === 0) throw new AppError("conflict", "a workspace keeps at least one admin: make someone else admin first");
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
  await db.update(memberships).set({ role }).where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
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
  await db.delete(memberships).where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
  await recordAction(db, actor, "user.remove", await userEmail(db, userId), { role });
}

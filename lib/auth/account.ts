import "server-only";
import { and, eq, gt, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { invitations, users, type User } from "@/db/schema";
import { recordAction } from "@/lib/audit";
import { AppError, badRequest, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/parse";
import { endSessions, findUserByEmail, membershipRole, userWorkspaceIds } from "@/lib/users";
import {
  checkNewPassword,
  generatePassword,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  verifyPassword,
} from "@/lib/users/password";
import { authorize, type Actor, type Member } from "./member";
import { auditSignIn } from "./signin";

export const PasswordChange = z.object({
  current_password: z.string().min(1, "enter your current password").max(MAX_PASSWORD_LENGTH),
  new_password: z.string().max(MAX_PASSWORD_LENGTH),
});

/**
 * The signed-in member changes their password. Every session of the account ends (this one included): sign in
 * again with the new password.
 */
export async function changePassword(
  db: Db,
  member: Pick<Member, "userId" | "email">,
  ip: string | null,
  input: unknown,
): Promise<{ sessions_ended: true }> {
  const { current_password, new_password } = parseInput(PasswordChange, input);
  const [user] = await db.select().from(users).where(eq(users.id, member.userId)).limit(1);
  if (!user) throw notFound("your account no longer exists");
  if (!(await verifyPassword(user.passwordHash, current_password))) {
    await auditSignIn(db, user.id, user.email, "user.password_change_failed", ip, {
      reason: "wrong_current_password",
    });
    throw new AppError("forbidden", "current_password: that is not your current password");
  }
  const chosen = checkNewPassword(new_password, current_password);
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(chosen), mustChangePassword: false })
    .where(eq(users.id, user.id));
  await endSessions(db, user.id);
  await auditSignIn(db, user.id, user.email, "user.password_change", ip, { forced: false });
  return { sessions_ended: true };
}

/**
 * Sign-out: the account's session version moves on, so the cookie just cleared stops working even if a copy was
 * kept (and the account's other sessions end with it). A cookie that was already ended changes nothing.
 */
export async function signOut(
  db: Db,
  userId: number,
  sessionVersion: number,
  email: string,
  ip: string | null,
): Promise<boolean> {
  const ended = await db
    .update(users)
    .set({ sessionVersion: sessionVersion + 1 })
    .where(and(eq(users.id, userId), eq(users.sessionVersion, sessionVersion)))
    .returning({ id: users.id });
  if (ended.length) await auditSignIn(db, userId, email, "auth.sign_out", ip, {});
  return ended.length > 0;
}

/** Who resets a password: the operator at the command line, or a member of a workspace (an admin there). */
export type PasswordResetBy = "cli" | Actor;

/** What a reset answers (the CLI prints it): the one-time password is shown this once and stored only as a hash. */
export interface PasswordReset {
  email: string;
  one_time_password: string;
}

const ResetTarget = z.object({ userId: z.coerce.number().int().positive() });

/**
 * Whether the account also belongs to, or is invited to, a workspace other than `workspaceId`: whoever holds its
 * one-time password signs in as it there too (and can accept the invitation), so that workspace's admin may not
 * reset it. One answer for both, so the refusal does not tell which.
 */
async function reachesAnotherWorkspace(db: Db, user: User, workspaceId: number): Promise<boolean> {
  if ((await userWorkspaceIds(db, user.id)).some((id) => id !== workspaceId)) return true;
  const [invited] = await db
    .select({ id: invitations.workspaceId })
    .from(invitations)
    .where(
      and(
        eq(invitations.email, user.email),
        ne(invitations.workspaceId, workspaceId),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return !!invited;
}

/** The account a workspace admin may reset: another member of their workspace, in no other workspace. */
async function resettableMember(db: Db, actor: Actor, input: unknown): Promise<User> {
  authorize(actor, "users:manage");
  const { userId } = parseInput(ResetTarget, input);
  if (userId === actor.userId)
    throw badRequest(
      "you cannot reset your own password here: change it on your Account page (you need the current one)",
    );
  await membershipRole(db, actor.workspaceId, userId);
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw notFound(`user ${userId} is not a member of this workspace`);
  if (await reachesAnotherWorkspace(db, user, actor.workspaceId))
    throw new AppError(
      "conflict",
      "this account also belongs to (or is invited to) another workspace: a password reset here would let " +
        "whoever holds the one-time password into that workspace too, so only the operator can reset it " +
        "(tl user reset-password); its owner can change it on their Account page",
    );
  return user;
}

/**
 * Resets a forgotten password: a generated one-time password, shown once, that must be replaced at the next
 * sign-in; every session of the account ends. By the operator (CLI, `{email}`): audited in every workspace of
 * the account as `cli`. By a workspace admin (`{userId}`, Settings › Users): only another member of their
 * workspace who belongs to no other (resettableMember), audited in that workspace as the admin.
 */
export async function resetPassword(db: Db, by: "cli", target: { email: string }): Promise<PasswordReset>;
export async function resetPassword(db: Db, by: Actor, target: { userId: unknown }): Promise<PasswordReset>;
export async function resetPassword(
  db: Db,
  by: PasswordResetBy,
  target: { email: string } | { userId: unknown },
): Promise<PasswordReset> {
  let user: User | undefined;
  if (by !== "cli") user = await resettableMember(db, by, target);
  else if ("email" in target) user = await findUserByEmail(db, target.email);
  if (!user) throw notFound(`no account with the e-mail ${"email" in target ? target.email : ""}`);
  const code = generatePassword();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(code), mustChangePassword: true })
    .where(eq(users.id, user.id));
  await endSessions(db, user.id);
  if (by === "cli")
    await auditSignIn(db, user.id, user.email, "user.password_reset", null, { by: "cli" }, "cli");
  else await recordAction(db, by, "user.password_reset", user.email, { by: by.label });
  return { email: user.email, one_time_password: code };
}

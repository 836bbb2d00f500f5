import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/parse";
import { endSessions, findUserByEmail } from "@/lib/users";
import {
  checkNewPassword,
  generatePassword,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  verifyPassword,
} from "@/lib/users/password";
import type { Member } from "./member";
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

/**
 * The operator (CLI) resets a forgotten password: a generated one-time password, printed once, that must be
 * replaced at the next sign-in; every session of the account ends.
 */
export async function resetPassword(
  db: Db,
  email: string,
): Promise<{ email: string; one_time_password: string }> {
  const user = await findUserByEmail(db, email);
  if (!user) throw notFound(`no account with the e-mail ${email}`);
  const code = generatePassword();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(code), mustChangePassword: true })
    .where(eq(users.id, user.id));
  await endSessions(db, user.id);
  await auditSignIn(db, user.id, user.email, "user.password_reset", null, { by: "cli" });
  return { email: user.email, one_time_password: code };
}

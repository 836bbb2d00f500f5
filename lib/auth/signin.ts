import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { NO_WORKSPACE, recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { findUserByEmail, userWorkspaceIds } from "@/lib/users";
import { acceptAllInvitations, redeemableInvitation, redeemInvitation } from "@/lib/users/invitations";
import { checkNewPassword, hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from "@/lib/users/password";
import { signInThrottle } from "./throttle";

/** The error the sign-in form turns into "choose your own password" (next-auth passes the message on as is). */
export const PASSWORD_CHANGE_REQUIRED = "PasswordChangeRequired";

export const SERVER_BUSY = "The server is busy: try again in a few seconds";

/** A refusal whose message is shown as is on the sign-in page. */
export class SignInRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInRefused";
  }
}

export interface SignedInUser {
  id: number;
  email: string;
  name: string | null;
  /** Goes into the session cookie: raising the account's version ends the session. */
  sessionVersion: number;
}

export function tooManyAttempts(waitMs: number): SignInRefused {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  if (seconds < 60)
    return new SignInRefused(`Too many attempts, try again in ${seconds} second${seconds === 1 ? "" : "s"}`);
  const minutes = Math.ceil(seconds / 60);
  return new SignInRefused(`Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}`);
}

/**
 * Writes an account event to every workspace of the user, or to no workspace (NO_WORKSPACE) for an unknown e-mail;
 * the actor is the account itself unless said (the operator's `cli` for a reset).
 */
export async function auditSignIn(
  db: Db,
  userId: number | null,
  email: string,
  action: string,
  ip: string | null,
  details: Record<string, unknown>,
  actor = email,
): Promise<void> {
  const workspaceIds = userId ? await userWorkspaceIds(db, userId) : [];
  for (const workspaceId of workspaceIds.length ? workspaceIds : [NO_WORKSPACE]) {
    await recordAudit(db, { workspaceId, actor, action, target: email, details, ip });
  }
}

export interface SignInInput {
  email?: unknown;
  password?: unknown;
  /** Required when the password is one-time (an invitation's, or one the CLI set): the password the owner chooses. */
  new_password?: unknown;
}

/** The new password of a forced change, or the refusal that makes the sign-in form ask for one. */
function forcedNewPassword(input: SignInInput, current: string): string {
  if (typeof input.new_password !== "string" || input.new_password === "")
    throw new SignInRefused(PASSWORD_CHANGE_REQUIRED);
  try {
    return checkNewPassword(input.new_password, current);
  } catch (e) {
    throw new SignInRefused(
      e instanceof AppError ? e.message.replace(/^new_password: /, "New password: ") : String(e),
    );
  }
}

/**
 * Checks an e-mail and password. Null for a wrong pair; SignInRefused while throttled, when a one-time password
 * needs a new one (PASSWORD_CHANGE_REQUIRED), or for an account without a workspace. A one-time password is
 * either an invitation's (the account is created now, with the new password) or one set for the account by the CLI.
 * Passwords are never logged or stored.
 */
export async function signInWithPassword(
  db: Db,
  input: SignInInput,
  ip: string | null,
): Promise<SignedInUser | null> {
  const email = typeof input.email === "string" ? input.email.trim().toLowerCase().slice(0, 254) : "";
  const password = typeof input.password === "string" ? input.password.slice(0, MAX_PASSWORD_LENGTH) : "";
  if (!email || !password) return null;
  const wait = signInThrottle.waitFor(email, ip);
  if (wait > 0) throw tooManyAttempts(wait);

  let user = await findUserByEmail(db, email);
  let ok: boolean;
  try {
    ok = await verifyPassword(user?.passwordHash, password);
  } catch {
    // The hashing queue is full (lib/users/password.ts): refused without counting as a failure.
    throw new SignInRefused(SERVER_BUSY);
  }
  const invitation = !user && !ok ? await redeemableInvitation(db, email, password) : undefined;
  if (!ok && !invitation) {
    signInThrottle.fail(email, ip);
    const waitNow = signInThrottle.waitFor(email, ip);
    await auditSignIn(db, user?.id ?? null, email, "auth.sign_in_failed", ip, {
      method: "password",
      known_user: !!user,
      ...(waitNow ? { back_off_ms: waitNow } : {}),
    });
    return null;
  }
  signInThrottle.succeed(email, ip);

  if (invitation) {
    const chosen = forcedNewPassword(input, password);
    const id = await redeemInvitation(db, invitation, chosen);
    user = await findUserByEmail(db, email);
    await auditSignIn(db, id, email, "user.password_set", ip, { how: "invitation" });
  } else if (user?.mustChangePassword) {
    const chosen = forcedNewPassword(input, password);
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(chosen), mustChangePassword: false })
      .where(eq(users.id, user.id));
    await auditSignIn(db, user.id, email, "user.password_change", ip, { forced: true });
  }
  if (!user) return null;
  if (!(await userWorkspaceIds(db, user.id)).length && !(await acceptAllInvitations(db, user.id, email))) {
    await auditSignIn(db, null, email, "auth.sign_in_failed", ip, {
      method: "password",
      reason: "no_workspace",
    });
    throw new SignInRefused("Your account belongs to no workspace: ask an admin to invite you");
  }
  await auditSignIn(db, user.id, email, "auth.sign_in", ip, { method: "password" });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

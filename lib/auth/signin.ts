import type { Db } from "@/db/client";
import { NO_WORKSPACE, recordAudit } from "@/lib/audit";
import { FailureLockout } from "@/lib/ratelimit";
import { findUserByEmail, userWorkspaceIds } from "@/lib/users";
import { verifyPassword } from "@/lib/users/password";

export const SIGN_IN_MAX_FAILURES = 20;
export const SIGN_IN_LOCK_MINUTES = 15;

/** 20 wrong passwords in a row for one e-mail, or from one address, lock it for 15 minutes. */
export const signInLockout = new FailureLockout({ maxFailures: SIGN_IN_MAX_FAILURES, lockMs: SIGN_IN_LOCK_MINUTES * 60_000 });

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
}

export function tooManyAttempts(waitMs: number): SignInRefused {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return new SignInRefused(`Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}`);
}

/** Writes a sign-in event to every workspace of the user, or to no workspace (NO_WORKSPACE) for an unknown e-mail. */
export async function auditSignIn(db: Db, userId: number | null, email: string, action: string, ip: string | null, details: Record<string, unknown>): Promise<void> {
  const workspaceIds = userId ? await userWorkspaceIds(db, userId) : [];
  for (const workspaceId of workspaceIds.length ? workspaceIds : [NO_WORKSPACE]) {
    await recordAudit(db, { workspaceId, actor: email, action, target: email, details, ip });
  }
}

/**
 * Checks an e-mail and password. Null for a wrong pair; SignInRefused while the e-mail or the address is locked.
 * The password is never logged or stored.
 */
export async function signInWithPassword(db: Db, input: { email?: unknown; password?: unknown }, ip: string | null): Promise<SignedInUser | null> {
  const email = typeof input.email === "string" ? input.email.trim().toLowerCase().slice(0, 254) : "";
  const password = typeof input.password === "string" ? input.password.slice(0, 1024) : "";
  if (!email || !password) return null;
  const keys = [`email:${email}`, ...(ip ? [`ip:${ip}`] : [])];
  const wait = Math.max(...keys.map((k) => signInLockout.lockedFor(k)));
  if (wait > 0) throw tooManyAttempts(wait);

  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash, password);
  if (!ok || !user) {
    for (const k of keys) signInLockout.fail(k);
    const lockedNow = Math.max(...keys.map((k) => signInLockout.lockedFor(k)));
    await auditSignIn(db, user?.id ?? null, email, lockedNow ? "auth.locked_out" : "auth.sign_in_failed", ip, { method: "password", known_user: !!user });
    if (lockedNow) throw tooManyAttempts(lockedNow);
    return null;
  }
  for (const k of keys) signInLockout.succeed(k);
  const workspaces = await userWorkspaceIds(db, user.id);
  if (!workspaces.length) {
    await auditSignIn(db, null, email, "auth.sign_in_failed", ip, { method: "password", reason: "no_workspace" });
    throw new SignInRefused("Your account belongs to no workspace: ask an admin to invite you");
  }
  await auditSignIn(db, user.id, email, "auth.sign_in", ip, { method: "password" });
  return { id: user.id, email: user.email, name: user.name };
}

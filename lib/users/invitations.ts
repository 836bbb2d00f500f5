import "server-only";
import { and, asc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { invitations, memberships, users, workspaces, type Invitation } from "@/db/schema";
import { authorize, type Actor, type Member } from "@/lib/auth/member";
import { isRole, type Role } from "@/lib/auth/permissions";
import { recordAction, recordAudit } from "@/lib/audit";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { parseInput } from "@/lib/parse";
import { generatePassword, hashPassword, oneTimeHash } from "./password";

export const INVITATION_DAYS = 7;

/**
 * The answer to an invitation, the same for an address with or without an account: the admin learns nothing about
 * accounts outside their workspace. A new address signs in with the one-time password and must then choose its own;
 * an existing account signs in with its own password and accepts (Account screen, or POST /api/account/invitations).
 */
export interface IssuedInvitation {
  email: string;
  role: Role;
  status: "pending";
  one_time_password: string;
  expires_at: string;
}

export interface PendingInvitation {
  email: string;
  name: string | null;
  role: Role;
  invited_by: string;
  expires_at: string;
}

/** An invitation as its addressee sees it. */
export interface InvitationForMe {
  workspace: string;
  workspace_name: string;
  role: Role;
  invited_by: string;
  expires_at: string;
}

const roleOf = (r: string): Role => (isRole(r) ? r : "executive");

/** Creates (or renews, with a new one-time password and role) the invitation of `email` into the actor's workspace. */
export async function issueInvitation(
  db: Db,
  actor: Actor,
  invite: { email: string; name: string | null; role: Role },
): Promise<IssuedInvitation> {
  authorize(actor, "users:manage");
  const [member] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(users.email, invite.email)))
    .limit(1);
  if (member) throw new AppError("conflict", `${invite.email} is already a member of this workspace`);
  const code = generatePassword();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  const values = {
    name: invite.name,
    role: invite.role,
    codeHash: oneTimeHash(code),
    invitedBy: actor.label,
    createdAt: new Date(),
    expiresAt,
  };
  await db
    .insert(invitations)
    .values({ workspaceId: actor.workspaceId, email: invite.email, ...values })
    .onConflictDoUpdate({ target: [invitations.workspaceId, invitations.email], set: values });
  await recordAction(db, actor, "user.invite", invite.email, {
    role: invite.role,
    expires_at: expiresAt.toISOString(),
  });
  return {
    email: invite.email,
    role: invite.role,
    status: "pending",
    one_time_password: code,
    expires_at: expiresAt.toISOString(),
  };
}

export async function listInvitations(db: Db, actor: Actor): Promise<PendingInvitation[]> {
  authorize(actor, "users:manage");
  const found = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, actor.workspaceId), gt(invitations.expiresAt, new Date())))
    .orderBy(asc(invitations.email));
  return found.map((i) => ({
    email: i.email,
    name: i.name,
    role: roleOf(i.role),
    invited_by: i.invitedBy,
    expires_at: i.expiresAt.toISOString(),
  }));
}

const Withdrawal = z.object({ email: z.string().trim().toLowerCase().min(1).max(254) });

export async function withdrawInvitation(db: Db, actor: Actor, input: unknown): Promise<void> {
  authorize(actor, "users:manage");
  const { email } = parseInput(Withdrawal, input);
  const gone = await db
    .delete(invitations)
    .where(and(eq(invitations.workspaceId, actor.workspaceId), eq(invitations.email, email)))
    .returning({ email: invitations.email });
  if (!gone.length) throw notFound(`no invitation for ${email} in this workspace`);
  await recordAction(db, actor, "user.invitation_withdraw", email);
}

/** The unexpired invitations addressed to the signed-in member's e-mail. */
export async function invitationsForMe(db: Db, member: Pick<Member, "email">): Promise<InvitationForMe[]> {
  const found = await db
    .select({
      slug: workspaces.slug,
      name: workspaces.name,
      role: invitations.role,
      invitedBy: invitations.invitedBy,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(and(eq(invitations.email, member.email), gt(invitations.expiresAt, new Date())))
    .orderBy(asc(workspaces.name));
  return found.map((i) => ({
    workspace: i.slug,
    workspace_name: i.name,
    role: roleOf(i.role),
    invited_by: i.invitedBy,
    expires_at: i.expiresAt.toISOString(),
  }));
}

/** Turns an invitation into a membership, in the invitation's workspace's audit log. */
async function join(db: Db, userId: number, inv: Invitation, how: string): Promise<void> {
  await db
    .insert(memberships)
    .values({ workspaceId: inv.workspaceId, userId, role: inv.role })
    .onConflictDoNothing();
  await db
    .delete(invitations)
    .where(and(eq(invitations.workspaceId, inv.workspaceId), eq(invitations.email, inv.email)));
  await recordAudit(db, {
    workspaceId: inv.workspaceId,
    actor: inv.email,
    action: "user.invitation_accept",
    target: inv.email,
    details: { role: inv.role, how },
  });
}

export const InvitationAnswer = z.object({
  workspace: z.string().trim().min(1).max(63),
  accept: z.boolean(),
  /** Needed to accept: the invitation's one-time password, which its admin gave the invitee. */
  one_time_password: z.string().max(200).optional(),
});

/** The signed-in member accepts (membership from now on) or declines an invitation addressed to their e-mail. */
export async function answerInvitation(
  db: Db,
  member: Pick<Member, "userId" | "email">,
  input: unknown,
): Promise<{ workspace: string; accepted: boolean }> {
  const parsed = parseInput(InvitationAnswer, input);
  const { workspace, accept } = parsed;
  const [found] = await db
    .select({ inv: invitations })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(
      and(
        eq(workspaces.slug, workspace),
        eq(invitations.email, member.email),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!found) throw notFound(`no open invitation into '${workspace}' for ${member.email}`);
  // An invitation goes to an e-mail address, and nothing proves that the account of that address (which anyone
  // holding another workspace's one-time password for it could have created) is the person invited: only the
  // invitation's own one-time password, which its admin gave that person, does.
  if (accept && oneTimeHash(parsed.one_time_password ?? "") !== found.inv.codeHash)
    throw forbidden(
      `one_time_password: enter the one-time password that the admin of '${workspace}' gave you with the invitation`,
    );
  if (accept) {
    await join(db, member.userId, found.inv, "accepted_signed_in");
  } else {
    await db
      .delete(invitations)
      .where(and(eq(invitations.workspaceId, found.inv.workspaceId), eq(invitations.email, member.email)));
    await recordAudit(db, {
      workspaceId: found.inv.workspaceId,
      actor: member.email,
      action: "user.invitation_decline",
      target: member.email,
      details: null,
    });
  }
  return { workspace, accepted: accept };
}

/** The unexpired invitation of an address without an account whose one-time password is `code`. */
export async function redeemableInvitation(
  db: Db,
  email: string,
  code: string,
): Promise<Invitation | undefined> {
  const [found] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.email, email),
        eq(invitations.codeHash, oneTimeHash(code)),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return found;
}

/** First sign-in of a new address: the account is created with the password its owner chose, then it joins. */
export async function redeemInvitation(db: Db, inv: Invitation, newPassword: string): Promise<number> {
  const [created] = await db
    .insert(users)
    .values({ email: inv.email, name: inv.name, passwordHash: await hashPassword(newPassword) })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (!created)
    throw new AppError(
      "conflict",
      `an account for ${inv.email} was created meanwhile: sign in with its password`,
    );
  await join(db, created.id, inv, "one_time_password");
  return created.id;
}

/**
 * An account that belongs to no workspace joins those it is invited to when its owner signs in with their own
 * password: the invitations issued to it, after it existed. One issued before was addressed to whoever would
 * create the account with that invitation's one-time password; an account created with another workspace's
 * one-time password may not take it.
 */
export async function acceptAllInvitations(db: Db, userId: number, email: string): Promise<number> {
  const open = await db
    .select({ inv: invitations })
    .from(invitations)
    .innerJoin(users, eq(users.id, userId))
    .where(
      and(
        eq(invitations.email, email),
        gt(invitations.expiresAt, new Date()),
        gt(invitations.createdAt, users.createdAt),
      ),
    )
    .then((found) => found.map((f) => f.inv));
  for (const inv of open) await join(db, userId, inv, "signed_in_without_workspace");
  return open.length;
}

import { sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { cliActor, loadMember } from "@/lib/auth/member";
import { SignInRefused, signInWithPassword } from "@/lib/auth/signin";
import { inviteMember, removeMember } from "@/lib/users";
import {
  answerInvitation,
  invitationsForMe,
  listInvitations,
  withdrawInvitation,
} from "@/lib/users/invitations";
import { GET as keysGet } from "@/app/api/settings/keys/route";
import { GET as myInvitationsGet, POST as myInvitationsPost } from "@/app/api/account/invitations/route";
import { POST as invitePost } from "@/app/api/settings/users/route";
import { freshWorkspace } from "../helpers/db";
import { addMember, request, routesUseTestDatabase } from "../helpers/auth";
import { expectSameShape, newEmail, outcome } from "./helpers";

beforeAll(routesUseTestDatabase);

const inviteAnswer = async (cookie: string, email: string) => {
  const res = await invitePost(
    request("/api/settings/users", { method: "POST", cookie, body: { email, role: "admin" } }),
    undefined,
  );
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, unknown>;
};

test("inviting an address with an account elsewhere answers exactly like a new address, and makes nobody a member", async () => {
  const a = await freshWorkspace();
  const b = await freshWorkspace();
  const adminA = await addMember(a, "admin");
  const ownerB = await addMember(b, "admin", "owner-of-b-password");

  const existing = await inviteAnswer(adminA.cookie, ownerB.member.email);
  const fresh = await inviteAnswer(adminA.cookie, newEmail("new"));
  expectSameShape(existing, fresh);
  expect(Object.keys(existing)).toEqual(["email", "role", "status", "one_time_password", "expires_at"]);
  expect([existing.status, fresh.status]).toEqual(["pending", "pending"]);
  expect(existing.one_time_password).toMatch(/^[A-Za-z0-9]{20}$/);

  // Not a member of A until the owner accepts; A's one-time password does not open the account.
  expect((await loadMember(a.db, ownerB.member.userId, a.slug))?.workspaces.map((w) => w.slug)).toEqual([
    b.slug,
  ]);
  expect(
    await signInWithPassword(
      a.db,
      { email: ownerB.member.email, password: String(existing.one_time_password) },
      null,
    ),
  ).toBeNull();
  expect(
    await signInWithPassword(
      a.db,
      {
        email: ownerB.member.email,
        password: String(existing.one_time_password),
        new_password: "attacker-chosen-password",
      },
      null,
    ),
  ).toBeNull();
});

test("A's one-time password never reaches B: the tl_ws cookie of B gives A's member A's data only", async () => {
  const a = await freshWorkspace();
  const b = await freshWorkspace();
  const adminA = await addMember(a, "admin");
  const adminB = await addMember(b, "admin");
  const email = newEmail("shared");
  const fromA = await inviteMember(a.db, adminA.actor, { email, role: "executive" });
  // The invitee redeems A's invitation and chooses a password; later B invites the same address.
  expect(
    await signInWithPassword(
      a.db,
      { email, password: fromA.one_time_password, new_password: "the-owner-chose-this" },
      null,
    ),
  ).not.toBeNull();
  const fromB = await inviteMember(b.db, adminB.actor, { email, role: "admin" });
  // A's admin still knows A's one-time password: it no longer signs in, and B's is no password either.
  for (const password of [fromA.one_time_password, fromB.one_time_password]) {
    expect(await signInWithPassword(a.db, { email, password }, null)).toBeNull();
  }
  const user = await loadMember(
    a.db,
    (await signInWithPassword(a.db, { email, password: "the-owner-chose-this" }, null))!.id,
    b.slug,
  );
  expect(user?.workspaces.map((w) => w.slug)).toEqual([a.slug]);

  // A member of A whose tl_ws cookie names B reads A's keys, never B's.
  const keysOfB = await keysGet(
    request("/api/settings/keys", { cookie: `${adminA.cookie}; tl_ws=${b.slug}` }),
    undefined,
  );
  expect(keysOfB.status).toBe(200);
  const member = await loadMember(a.db, adminA.member.userId, b.slug);
  expect(member?.workspaceId).toBe(a.id);
});

test("the owner accepts (or declines) an invitation after signing in with their own password; then it is gone", async () => {
  const a = await freshWorkspace();
  const c = await freshWorkspace();
  const b = await freshWorkspace();
  const adminA = await addMember(a, "admin");
  const adminC = await addMember(c, "admin");
  const owner = await addMember(b, "marketer", "owner-password-123");
  const intoA = await inviteMember(a.db, adminA.actor, { email: owner.member.email, role: "privacy" });
  await inviteMember(c.db, adminC.actor, { email: owner.member.email, role: "admin" });

  const listed = await myInvitationsGet(
    request("/api/account/invitations", { cookie: owner.cookie }),
    undefined,
  );
  const { invitations } = (await listed.json()) as { invitations: { workspace: string; role: string }[] };
  expect(invitations.map((i) => [i.workspace, i.role]).sort()).toEqual(
    [
      [a.slug, "privacy"],
      [c.slug, "admin"],
    ].sort(),
  );

  const accept = await myInvitationsPost(
    request("/api/account/invitations", {
      method: "POST",
      cookie: owner.cookie,
      body: { workspace: a.slug, accept: true, one_time_password: intoA.one_time_password },
    }),
    undefined,
  );
  expect(accept.status).toBe(200);
  expect(await answerInvitation(a.db, owner.member, { workspace: c.slug, accept: false })).toEqual({
    workspace: c.slug,
    accepted: false,
  });
  const after = await loadMember(a.db, owner.member.userId, a.slug);
  expect([after?.workspaceId, after?.role, after?.workspaces.length]).toEqual([a.id, "privacy", 2]);
  expect(await invitationsForMe(a.db, owner.member)).toEqual([]);
  // Someone else's invitation cannot be answered.
  const other = await addMember(b, "executive");
  expect(await outcome(answerInvitation(a.db, other.member, { workspace: c.slug, accept: true }))).toBe(
    "not_found",
  );
});

test("a new address joins at its first sign-in with the one-time password, and must choose its own password there", async () => {
  const ws = await freshWorkspace();
  const admin = await addMember(ws, "admin");
  const email = newEmail("newcomer");
  const { one_time_password } = await inviteMember(ws.db, admin.actor, {
    email,
    role: "marketer",
    name: "New Comer",
  });

  await expect(signInWithPassword(ws.db, { email, password: one_time_password }, null)).rejects.toThrow(
    new SignInRefused("PasswordChangeRequired"),
  );
  await expect(
    signInWithPassword(ws.db, { email, password: one_time_password, new_password: "short" }, null),
  ).rejects.toThrow("New password: at least 12 characters");
  await expect(
    signInWithPassword(ws.db, { email, password: one_time_password, new_password: one_time_password }, null),
  ).rejects.toThrow("New password: choose a password other than the current one");
  const joined = await signInWithPassword(
    ws.db,
    { email, password: one_time_password, new_password: "my-own-password-1" },
    null,
  );
  expect([joined?.email, joined?.name]).toEqual([email, "New Comer"]);
  expect((await loadMember(ws.db, joined!.id, ws.slug))?.role).toBe("marketer");
  // The one-time password is spent; the chosen one works.
  expect(
    await signInWithPassword(
      ws.db,
      { email, password: one_time_password, new_password: "another-password-2" },
      null,
    ),
  ).toBeNull();
  expect(await signInWithPassword(ws.db, { email, password: "my-own-password-1" }, null)).not.toBeNull();
});

test("the CLI invites like the API and its password reset forces a new password at the next sign-in", async () => {
  const ws = await freshWorkspace();
  const member = await addMember(ws, "privacy", "forgotten-password-1");
  const { resetPassword } = await import("@/lib/auth/account");
  const { one_time_password } = await resetPassword(ws.db, "cli", { email: member.member.email });
  expect(
    await signInWithPassword(ws.db, { email: member.member.email, password: "forgotten-password-1" }, null),
  ).toBeNull();
  await expect(
    signInWithPassword(ws.db, { email: member.member.email, password: one_time_password }, null),
  ).rejects.toThrow("PasswordChangeRequired");
  expect(
    await signInWithPassword(
      ws.db,
      { email: member.member.email, password: one_time_password, new_password: "remembered-this-time" },
      null,
    ),
  ).not.toBeNull();
  expect(
    await signInWithPassword(ws.db, { email: member.member.email, password: one_time_password }, null),
  ).toBeNull();
  const cli = await inviteMember(ws.db, cliActor(ws.id), { email: newEmail("cli"), role: "admin" });
  expect(Object.keys(cli)).toEqual(["email", "role", "status", "one_time_password", "expires_at"]);
});

test("a withdrawn invitation's one-time password is useless; an account without a workspace joins its invitations by signing in", async () => {
  const ws = await freshWorkspace();
  const admin = await addMember(ws, "admin");
  const email = newEmail("withdrawn");
  const issued = await inviteMember(ws.db, admin.actor, { email, role: "marketer" });
  expect((await listInvitations(ws.db, admin.actor)).map((i) => [i.email, i.role])).toEqual([
    [email, "marketer"],
  ]);
  await withdrawInvitation(ws.db, admin.actor, { email });
  expect(await listInvitations(ws.db, admin.actor)).toEqual([]);
  expect(
    await signInWithPassword(
      ws.db,
      { email, password: issued.one_time_password, new_password: "never-gets-in-1" },
      null,
    ),
  ).toBeNull();
  expect(await outcome(withdrawInvitation(ws.db, admin.actor, { email }))).toBe("not_found");

  const leaver = await addMember(ws, "executive", "leaver-password-1");
  await removeMember(ws.db, admin.actor, { userId: leaver.member.userId });
  await expect(
    signInWithPassword(ws.db, { email: leaver.member.email, password: "leaver-password-1" }, null),
  ).rejects.toThrow("belongs to no workspace");
  await inviteMember(ws.db, admin.actor, { email: leaver.member.email, role: "privacy" });
  expect(
    await signInWithPassword(ws.db, { email: leaver.member.email, password: "leaver-password-1" }, null),
  ).not.toBeNull();
  expect((await loadMember(ws.db, leaver.member.userId, ws.slug))?.role).toBe("privacy");
});

test("another workspace's one-time password cannot take an invitation: an account created with A's code neither accepts B's nor joins it at sign-in", async () => {
  const a = await freshWorkspace();
  const b = await freshWorkspace();
  const adminA = await addMember(a, "admin");
  const adminB = await addMember(b, "admin");
  const email = newEmail("victim");
  // B invites the address first; A's admin then invites it too and redeems A's code, choosing the password.
  const fromB = await inviteMember(b.db, adminB.actor, { email, role: "admin" });
  const fromA = await inviteMember(a.db, adminA.actor, { email, role: "executive" });
  const id = (await signInWithPassword(
    a.db,
    { email, password: fromA.one_time_password, new_password: "chosen-by-admin-a" },
    null,
  ))!.id;
  const account = { userId: id, email };
  await expect(answerInvitation(a.db, account, { workspace: b.slug, accept: true })).rejects.toThrow(
    `one_time_password: enter the one-time password that the admin of '${b.slug}' gave you with the invitation`,
  );
  await expect(
    answerInvitation(a.db, account, {
      workspace: b.slug,
      accept: true,
      one_time_password: fromA.one_time_password,
    }),
  ).rejects.toMatchObject({ code: "forbidden" });
  expect((await loadMember(a.db, id, b.slug))?.workspaces.map((w) => w.slug)).toEqual([a.slug]);
  // Removed from A, the account signs in again with its password: B's earlier invitation is not joined.
  await a.db.execute(sql`DELETE FROM memberships WHERE user_id = ${id}`);
  await expect(signInWithPassword(a.db, { email, password: "chosen-by-admin-a" }, null)).rejects.toThrow(
    "belongs to no workspace",
  );
  // With B's own code the invitation is accepted (by the person B gave it to).
  await a.db.execute(
    sql`INSERT INTO memberships (workspace_id, user_id, role) VALUES (${a.id}, ${id}, 'executive')`,
  );
  expect(
    await answerInvitation(a.db, account, {
      workspace: b.slug,
      accept: true,
      one_time_password: fromB.one_time_password,
    }),
  ).toEqual({ workspace: b.slug, accepted: true });
});

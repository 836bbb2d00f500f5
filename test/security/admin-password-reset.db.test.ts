import { and, asc, eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { auditLog, invitations, memberships, users } from "@/db/schema";
import { resetPassword } from "@/lib/auth/account";
import { requireApiMember } from "@/lib/auth/session";
import { PASSWORD_CHANGE_REQUIRED, signInWithPassword } from "@/lib/auth/signin";
import { inviteMember } from "@/lib/users";
import { POST as resetPost } from "@/app/api/settings/users/[id]/password/route";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { addMember, params, request, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { outcome } from "./helpers";

beforeAll(routesUseTestDatabase);

/** POST /api/settings/users/<id>/password as the member whose cookie is given. */
const reset = (cookie: string, id: number | string, origin?: string | null) =>
  resetPost(
    request(`/api/settings/users/${id}/password`, { method: "POST", cookie, origin }),
    params({ id: String(id) }),
  );

const answer = async (res: Response) => [res.status, ((await res.json()) as { message?: string }).message];

const signIn = (ws: TestWorkspace, email: string, password: string, new_password?: string) =>
  signInWithPassword(ws.db, { email, password, new_password }, null);

async function account(ws: TestWorkspace, userId: number) {
  const [row] = await ws.db.select().from(users).where(eq(users.id, userId));
  return { sessionVersion: row!.sessionVersion, mustChange: row!.mustChangePassword };
}

const resets = (ws: TestWorkspace) =>
  ws.db
    .select({ actor: auditLog.actor, target: auditLog.target, details: auditLog.details, ip: auditLog.ip })
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, "user.password_reset")))
    .orderBy(asc(auditLog.id));

/** A member whose password still works proves that a refused reset changed nothing. */
async function unchanged(ws: TestWorkspace, m: TestMember, password: string): Promise<void> {
  expect(await signIn(ws, m.member.email, password)).not.toBeNull();
  expect((await account(ws, m.member.userId)).mustChange).toBe(false);
}

test("an admin resets a member's password: the old one fails, the one-time one must be replaced, sessions end, audited", async () => {
  const ws = await freshWorkspace();
  const admin = await addMember(ws, "admin");
  const member = await addMember(ws, "marketer", "forgotten-password-1");
  const before = await account(ws, member.member.userId);
  expect(await outcome(requireApiMember(request("/api/x", { cookie: member.cookie })))).toBe("ok");

  const res = await reset(admin.cookie, member.member.userId);
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = (await res.json()) as { email: string; one_time_password: string };
  expect(Object.keys(body)).toEqual(["email", "one_time_password"]);
  expect(body.email).toBe(member.member.email);
  expect(body.one_time_password).toMatch(/^[A-Za-z0-9]{20}$/);

  // Every session ended: the version moved on by one and the member's cookie is 401.
  expect(await account(ws, member.member.userId)).toEqual({
    sessionVersion: before.sessionVersion + 1,
    mustChange: true,
  });
  expect(await outcome(requireApiMember(request("/api/x", { cookie: member.cookie })))).toBe("unauthorized");
  // The old password no longer signs in; the one-time one does, but only with a new password of their own.
  expect(await signIn(ws, member.member.email, "forgotten-password-1")).toBeNull();
  await expect(signIn(ws, member.member.email, body.one_time_password)).rejects.toThrow(
    PASSWORD_CHANGE_REQUIRED,
  );
  expect(await signIn(ws, member.member.email, body.one_time_password, "my-new-password-1")).not.toBeNull();
  expect((await account(ws, member.member.userId)).mustChange).toBe(false);
  expect(await signIn(ws, member.member.email, body.one_time_password)).toBeNull();
  expect(await signIn(ws, member.member.email, "my-new-password-1")).not.toBeNull();

  // One entry in this workspace, by the admin; never the password.
  const entries = await resets(ws);
  expect(entries).toEqual([
    { actor: admin.member.email, target: member.member.email, details: { by: admin.member.email }, ip: null },
  ]);
  expect(JSON.stringify(entries)).not.toContain(body.one_time_password);
});

test("only admins reset: privacy, marketer and executive get 403, signed out 401, a cross-site request 403", async () => {
  const ws = await freshWorkspace();
  const target = await addMember(ws, "executive", "still-my-password");
  for (const role of ["privacy", "marketer", "executive"] as const) {
    const other = await addMember(ws, role);
    const [status, message] = await answer(await reset(other.cookie, target.member.userId));
    expect([status, message]).toEqual([403, `the ${role} role may not do this (users:manage)`]);
    expect(await outcome(resetPassword(ws.db, other.actor, { userId: target.member.userId }))).toBe(
      "forbidden",
    );
  }
  expect((await reset("", target.member.userId)).status).toBe(401);
  const admin = await addMember(ws, "admin");
  expect(await answer(await reset(admin.cookie, target.member.userId, "https://evil.example"))).toEqual([
    403,
    "cross-site request refused",
  ]);
  await unchanged(ws, target, "still-my-password");
  expect(await resets(ws)).toEqual([]);
});

test("another workspace's member is 404 with the same message as an unknown id; a bad id is 400", async () => {
  const a = await freshWorkspace();
  const b = await freshWorkspace();
  const adminA = await addMember(a, "admin");
  const memberB = await addMember(b, "privacy", "b-member-password");
  const [otherStatus, otherMessage] = await answer(await reset(adminA.cookie, memberB.member.userId));
  const unknownId = 2_000_000_000;
  const [unknownStatus, unknownMessage] = await answer(await reset(adminA.cookie, unknownId));
  expect([otherStatus, unknownStatus]).toEqual([404, 404]);
  expect(otherMessage).toBe(`user ${memberB.member.userId} is not a member of this workspace`);
  expect(String(otherMessage).replace(String(memberB.member.userId), "N")).toBe(
    String(unknownMessage).replace(String(unknownId), "N"),
  );
  await unchanged(b, memberB, "b-member-password");
  for (const bad of ["abc", "0", "-3", "1.5"])
    expect((await answer(await reset(adminA.cookie, bad)))[0]).toBe(400);
  expect(await resets(a)).toEqual([]);
});

test("an account that also belongs to, or is invited to, another workspace is refused with 409: that would take it over there", async () => {
  const a = await freshWorkspace();
  const b = await freshWorkspace();
  const adminA = await addMember(a, "admin");
  const adminB = await addMember(b, "admin");
  const shared = await addMember(a, "marketer", "shared-account-pw");
  await a.db.insert(memberships).values({ workspaceId: b.id, userId: shared.member.userId, role: "admin" });
  const [status, message] = await answer(await reset(adminA.cookie, shared.member.userId));
  expect(status).toBe(409);
  expect(message).toBe(
    "this account also belongs to (or is invited to) another workspace: a password reset here would let " +
      "whoever holds the one-time password into that workspace too, so only the operator can reset it " +
      "(tl user reset-password); its owner can change it on their Account page",
  );
  // From B's side it is just as refused.
  expect((await reset(adminB.cookie, shared.member.userId)).status).toBe(409);
  await unchanged(a, shared, "shared-account-pw");

  // Invited to B but not yet a member: the holder of a one-time password could accept that invitation.
  const invited = await addMember(a, "executive", "invited-account-pw");
  await inviteMember(b.db, adminB.actor, { email: invited.member.email, role: "admin" });
  expect(await answer(await reset(adminA.cookie, invited.member.userId))).toEqual([409, message]);
  await unchanged(a, invited, "invited-account-pw");
  // Once the invitation is gone (withdrawn or expired), A's admin may reset it.
  await b.db.delete(invitations).where(eq(invitations.email, invited.member.email));
  expect((await reset(adminA.cookie, invited.member.userId)).status).toBe(200);
  expect(await resets(b)).toEqual([]);
});

test("an admin cannot reset their own password here (400): they change it with the current one", async () => {
  const ws = await freshWorkspace();
  const admin = await addMember(ws, "admin", "admin-own-password");
  expect(await answer(await reset(admin.cookie, admin.member.userId))).toEqual([
    400,
    "you cannot reset your own password here: change it on your Account page (you need the current one)",
  ]);
  await unchanged(ws, admin, "admin-own-password");
  expect(await outcome(requireApiMember(request("/api/x", { cookie: admin.cookie })))).toBe("ok");
});

test("the operator (CLI) resets any account, one in several workspaces too, audited in each as cli", async () => {
  const a = await freshWorkspace();
  const b = await freshWorkspace();
  const shared = await addMember(a, "marketer", "shared-account-pw");
  await a.db.insert(memberships).values({ workspaceId: b.id, userId: shared.member.userId, role: "privacy" });
  const { email, one_time_password } = await resetPassword(a.db, "cli", { email: shared.member.email });
  expect(email).toBe(shared.member.email);
  await expect(signIn(a, email, one_time_password)).rejects.toThrow(PASSWORD_CHANGE_REQUIRED);
  const entry = { actor: "cli", target: email, details: { by: "cli" }, ip: null };
  expect([await resets(a), await resets(b)]).toEqual([[entry], [entry]]);
  expect(await outcome(resetPassword(a.db, "cli", { email: "nobody@example.test" }))).toBe("not_found");
});

import { decode } from "next-auth/jwt";
import { beforeAll, expect, test } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { requireApiMember } from "@/lib/auth/session";
import { signInWithPassword } from "@/lib/auth/signin";
import { changeRole, removeMember } from "@/lib/users";
import { POST as passwordPost } from "@/app/api/account/password/route";
import { GET as auditGet } from "@/app/api/settings/audit/route";
import { freshWorkspace, testDb } from "../helpers/db";
import { addMember, request, routesUseTestDatabase } from "../helpers/auth";
import { outcome } from "./helpers";

beforeAll(routesUseTestDatabase);

const reads = async (cookie: string) => outcome(requireApiMember(request("/api/x", { cookie })));

/** The session cookie next-auth would issue after this sign-in (its jwt callback, then encoded). */
async function signedInCookie(email: string, password: string): Promise<string> {
  const db = await testDb();
  const user = await signInWithPassword(db, { email, password }, null);
  if (!user) throw new Error("sign-in failed");
  const token = await authOptions().callbacks!.jwt!({
    token: { email },
    user: { id: String(user.id), email, sv: user.sessionVersion } as never,
    account: { provider: "credentials", type: "credentials", providerAccountId: String(user.id) },
  });
  const { encode } = await import("next-auth/jwt");
  const { sessionCookieName } = await import("@/lib/auth/secret");
  return `${sessionCookieName()}=${await encode({ token, secret: process.env.NEXTAUTH_SECRET! })}`;
}

test("signing out ends the session: the old cookie, replayed, is 401", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "admin", "sign-out-password");
  const cookie = await signedInCookie(member.email, "sign-out-password");
  const second = await signedInCookie(member.email, "sign-out-password");
  expect(await reads(cookie)).toBe("ok");
  expect((await auditGet(request("/api/settings/audit", { cookie }), undefined)).status).toBe(200);
  // What next-auth calls on POST /api/auth/signout, with the cookie's token.
  const token = await decode({ token: cookie.split("=")[1], secret: process.env.NEXTAUTH_SECRET! });
  await authOptions().events!.signOut!({ token: token!, session: null as never });
  expect(await reads(cookie)).toBe("unauthorized");
  expect((await auditGet(request("/api/settings/audit", { cookie }), undefined)).status).toBe(401);
  // Every session of the account ends with it; a new sign-in works.
  expect(await reads(second)).toBe("unauthorized");
  expect(await reads(await signedInCookie(member.email, "sign-out-password"))).toBe("ok");
  // Replaying a sign-out with the ended token changes nothing (it cannot sign the new session out).
  const fresh = await signedInCookie(member.email, "sign-out-password");
  await authOptions().events!.signOut!({ token: token!, session: null as never });
  expect(await reads(fresh)).toBe("ok");
});

test("a role change or a removal ends the member's sessions at once", async () => {
  const ws = await freshWorkspace();
  const admin = await addMember(ws, "admin");
  const changed = await addMember(ws, "admin");
  const removed = await addMember(ws, "privacy");
  expect([await reads(changed.cookie), await reads(removed.cookie)]).toEqual(["ok", "ok"]);
  await changeRole(ws.db, admin.actor, { userId: changed.member.userId, role: "marketer" });
  await removeMember(ws.db, admin.actor, { userId: removed.member.userId });
  expect([await reads(changed.cookie), await reads(removed.cookie)]).toEqual([
    "unauthorized",
    "unauthorized",
  ]);
  expect(await reads(admin.cookie)).toBe("ok");
});

test("a member changes their password: wrong current one is 403, then the old cookie and old password stop working", async () => {
  const ws = await freshWorkspace();
  const { member, cookie } = await addMember(ws, "marketer", "the-old-password");
  const change = (body: unknown) =>
    passwordPost(request("/api/account/password", { method: "POST", cookie, body }), undefined);
  const wrong = await change({ current_password: "not-the-old-one", new_password: "the-new-password" });
  expect([wrong.status, ((await wrong.json()) as { message: string }).message]).toEqual([
    403,
    "current_password: that is not your current password",
  ]);
  const short = await change({ current_password: "the-old-password", new_password: "short" });
  expect([short.status, ((await short.json()) as { message: string }).message]).toEqual([
    400,
    "new_password: at least 12 characters",
  ]);
  expect(await reads(cookie)).toBe("ok");
  const ok = await change({ current_password: "the-old-password", new_password: "the-new-password" });
  expect([ok.status, await ok.json()]).toEqual([200, { sessions_ended: true }]);
  expect(await reads(cookie)).toBe("unauthorized");
  expect(
    await signInWithPassword(ws.db, { email: member.email, password: "the-old-password" }, null),
  ).toBeNull();
  expect(
    await signInWithPassword(ws.db, { email: member.email, password: "the-new-password" }, null),
  ).not.toBeNull();
});

import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { NO_WORKSPACE } from "@/lib/audit";
import type { Account, Profile, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLog, users } from "@/db/schema";
import { authOptions, oidcProvider } from "@/lib/auth/options";
import { freshWorkspace } from "../helpers/db";
import { addMember, routesUseTestDatabase } from "../helpers/auth";

const OIDC = {
  OIDC_ISSUER: "https://id.example.com/",
  OIDC_CLIENT_ID: "trustledger",
  OIDC_CLIENT_SECRET: "s3cret-client",
};

beforeAll(async () => {
  await routesUseTestDatabase();
  Object.assign(process.env, OIDC);
});
afterAll(() => {
  for (const k of Object.keys(OIDC)) delete process.env[k];
});

const account: Account = { provider: "oidc", type: "oauth", providerAccountId: "sub-1" };
const signIn = (email: string, verified = true) =>
  authOptions().callbacks!.signIn!({
    user: { id: "sub-1", email } as User,
    account,
    profile: { email, email_verified: verified } as Profile,
  });

test("the OpenID Connect provider exists only when issuer, client id and secret are all set", () => {
  expect(oidcProvider()?.wellKnown).toBe("https://id.example.com/.well-known/openid-configuration");
  const saved = process.env.OIDC_CLIENT_SECRET;
  delete process.env.OIDC_CLIENT_SECRET;
  expect(oidcProvider()).toBeNull();
  expect(authOptions().providers.map((p) => p.id)).toEqual(["credentials"]);
  process.env.OIDC_CLIENT_SECRET = saved;
  expect(authOptions().providers.map((p) => p.id)).toEqual(["credentials", "oidc"]);
});

test("an OIDC identity signs in only as an existing member with the same verified e-mail", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "marketer");
  expect(await signIn(member.email.toUpperCase())).toBe(true);
  expect(await signIn(member.email, false)).toBe("/signin?error=NotInvited");
  const stranger = `stranger-${randomBytes(4).toString("hex")}@example.test`;
  expect(await signIn(stranger)).toBe("/signin?error=NotInvited");
  expect(await ws.db.select().from(users).where(eq(users.email, stranger))).toEqual([]);

  const token = await authOptions().callbacks!.jwt!({
    token: { email: member.email } as JWT,
    user: { id: "sub-1", email: member.email } as User,
    account,
  });
  expect(token.uid).toBe(member.userId);

  // The sign-in is audited in the member's workspace, the refusal (no workspace reached) in none.
  const logged = (workspaceId: number) =>
    ws.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.actor, member.email)))
      .orderBy(asc(auditLog.id));
  expect((await logged(ws.id)).map((e) => [e.action, e.details])).toEqual([
    ["auth.sign_in", { method: "oidc" }],
  ]);
  expect((await logged(NO_WORKSPACE)).map((e) => [e.action, e.details])).toEqual([
    ["auth.sign_in_failed", { method: "oidc", reason: "email_not_verified" }],
  ]);
});

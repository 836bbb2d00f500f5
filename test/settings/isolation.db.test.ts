import { eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { apiKeys, memberships } from "@/db/schema";
import { createApiKey } from "@/lib/keys";
import { savePurpose } from "@/lib/settings/catalog";
import * as auditRoute from "@/app/api/settings/audit/route";
import * as catalogRoute from "@/app/api/settings/catalog/route";
import * as keyRoute from "@/app/api/settings/keys/[id]/route";
import * as keysRoute from "@/app/api/settings/keys/route";
import * as userRoute from "@/app/api/settings/users/[id]/route";
import * as usersRoute from "@/app/api/settings/users/route";
import { WORKSPACE_COOKIE } from "@/lib/auth/request";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { addMember, params, request, routesUseTestDatabase, type TestMember } from "../helpers/auth";

let a: TestWorkspace;
let b: TestWorkspace;
let adminA: TestMember;
let adminB: TestMember;
let userB: TestMember;
let keyB: number;

beforeAll(async () => {
  await routesUseTestDatabase();
  a = await freshWorkspace();
  b = await freshWorkspace();
  adminA = await addMember(a, "admin");
  adminB = await addMember(b, "admin");
  userB = await addMember(b, "marketer");
  keyB = (await createApiKey(b.db, b.id, ["ingest"], "b's key")).id;
  await savePurpose(b.db, adminB.actor, { key: "b-secret-purpose", name: "B only" });
  await savePurpose(a.db, adminA.actor, { key: "a-purpose", name: "A only" });
});

test("an admin of A cannot revoke B's key, change a role in B or remove B's user: 404, and nothing changes", async () => {
  const revoke = await keyRoute.DELETE(
    request(`/api/settings/keys/${keyB}`, { method: "DELETE", cookie: adminA.cookie }),
    params({ id: String(keyB) }),
  );
  expect(revoke.status).toBe(404);
  const [key] = await b.db.select().from(apiKeys).where(eq(apiKeys.id, keyB));
  expect(key?.revokedAt).toBeNull();

  const id = String(userB.member.userId);
  const patch = await userRoute.PATCH(
    request(`/api/settings/users/${id}`, { method: "PATCH", cookie: adminA.cookie, body: { role: "admin" } }),
    params({ id }),
  );
  expect(patch.status).toBe(404);
  const del = await userRoute.DELETE(
    request(`/api/settings/users/${id}`, { method: "DELETE", cookie: adminA.cookie }),
    params({ id }),
  );
  expect(del.status).toBe(404);
  const [stillThere] = await b.db
    .select()
    .from(memberships)
    .where(eq(memberships.userId, userB.member.userId));
  expect(stillThere?.role).toBe("marketer");
});

test("lists, the catalog and the audit log (JSON and CSV) of A hold none of B's rows", async () => {
  const keys = (await (
    await keysRoute.GET(request("/api/settings/keys", { cookie: adminA.cookie }), {})
  ).json()) as { keys: { id: number }[] };
  expect(keys.keys.map((k) => k.id)).not.toContain(keyB);
  const users = (await (
    await usersRoute.GET(request("/api/settings/users", { cookie: adminA.cookie }), {})
  ).json()) as { members: { email: string }[] };
  expect(users.members.map((m) => m.email)).toEqual([adminA.member.email]);
  const catalog = (await (
    await catalogRoute.GET(request("/api/settings/catalog", { cookie: adminA.cookie }), {})
  ).json()) as { purposes: { key: string }[] };
  expect(catalog.purposes.map((p) => p.key)).toEqual(["a-purpose"]);

  for (const filter of [
    "",
    "?action=settings",
    `?actor=${encodeURIComponent(adminB.member.email)}`,
    "?from=2000-01-01",
  ]) {
    const res = await auditRoute.GET(request(`/api/settings/audit${filter}`, { cookie: adminA.cookie }), {});
    const body = (await res.json()) as { entries: { actor: string; target: string | null }[] };
    expect(
      body.entries.filter((e) => e.actor === adminB.member.email || e.target === "b-secret-purpose"),
    ).toEqual([]);
    const csv = await (
      await auditRoute.GET(
        request(`/api/settings/audit${filter}${filter ? "&" : "?"}format=csv`, { cookie: adminA.cookie }),
        {},
      )
    ).text();
    expect(csv).not.toContain(adminB.member.email);
    expect(csv).not.toContain("b-secret-purpose");
  }
  const byB = await auditRoute.GET(
    request(`/api/settings/audit?actor=${encodeURIComponent(adminB.member.email)}`, {
      cookie: adminA.cookie,
    }),
    {},
  );
  expect(((await byB.json()) as { entries: unknown[] }).entries).toHaveLength(0);
});

test("a tl_ws cookie naming a workspace the user does not belong to is ignored", async () => {
  const cookie = `${adminA.cookie}; ${WORKSPACE_COOKIE}=${b.slug}`;
  const res = await catalogRoute.GET(request("/api/settings/catalog", { cookie }), {});
  const catalog = (await res.json()) as { purposes: { key: string }[] };
  expect(catalog.purposes.map((p) => p.key)).toEqual(["a-purpose"]);
});

import { eq } from "drizzle-orm";
import { beforeAll, expect, onTestFinished, test } from "vitest";
import { POST as createKeyRoute } from "@/app/api/settings/keys/route";
import { memberships } from "@/db/schema";
import { loadMember } from "@/lib/auth/member";
import { assertSameOrigin, clientIp, parseCookieHeader, sessionUserId } from "@/lib/auth/request";
import { requireApiMember } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { freshWorkspace } from "../helpers/db";
import { restoreEnv } from "../helpers/env";
import { addMember, params, request, routesUseTestDatabase, sessionCookie } from "../helpers/auth";

beforeAll(routesUseTestDatabase);

const code = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

test("the current workspace is the tl_ws cookie's when the user belongs to it, else their first", async () => {
  const a = await freshWorkspace();
  const b = await freshWorkspace();
  const stranger = await freshWorkspace();
  const { member } = await addMember(a, "admin");
  await b.db.insert(memberships).values({ workspaceId: b.id, userId: member.userId, role: "marketer" });
  const inB = await loadMember(a.db, member.userId, b.slug);
  expect([inB?.workspaceSlug, inB?.role, inB?.workspaces.length]).toEqual([b.slug, "marketer", 2]);
  const inA = await loadMember(a.db, member.userId, a.slug);
  expect([inA?.workspaceId, inA?.role]).toEqual([a.id, "admin"]);
  const notMine = await loadMember(a.db, member.userId, stranger.slug);
  expect(notMine?.workspaceSlug).not.toBe(stranger.slug);
  expect([a.slug, b.slug]).toContain(notMine?.workspaceSlug);
});

test("a removed member loses access at the next request", async () => {
  const ws = await freshWorkspace();
  const { member, cookie } = await addMember(ws, "privacy");
  expect((await requireApiMember(request("/api/x", { cookie }))).userId).toBe(member.userId);
  await ws.db.delete(memberships).where(eq(memberships.userId, member.userId));
  expect(await code(requireApiMember(request("/api/x", { cookie })))).toBe("unauthorized");
});

test("an expired, tampered or missing session cookie is no session", async () => {
  const ws = await freshWorkspace();
  const { member, cookie } = await addMember(ws, "admin");
  expect(await sessionUserId(parseCookieHeader(cookie))).toBe(member.userId);
  const expired = await sessionCookie(member.userId, member.email, -120);
  expect(await sessionUserId(parseCookieHeader(expired))).toBeNull();
  expect(await sessionUserId(parseCookieHeader(`${cookie.slice(0, -4)}AAAA`))).toBeNull();
  expect(await sessionUserId(parseCookieHeader(null))).toBeNull();
});

test("route handlers get 401 signed out, 403 without the permission, and 403 for a cross-site state change", async () => {
  const ws = await freshWorkspace();
  const { cookie } = await addMember(ws, "marketer");
  expect(await code(requireApiMember(request("/api/x"), "metrics:read"))).toBe("unauthorized");
  expect(await code(requireApiMember(request("/api/x", { cookie }), "metrics:read"))).toBe("ok");
  expect(await code(requireApiMember(request("/api/x", { cookie }), "settings:read"))).toBe("forbidden");
  const post = (origin: string | null, headers?: Record<string, string>) =>
    requireApiMember(request("/api/x", { method: "POST", cookie, origin, headers }));
  expect(await code(post("http://localhost:3000"))).toBe("ok");
  expect(await code(post("https://evil.example"))).toBe("forbidden");
  expect(await code(post(null))).toBe("forbidden");
  expect(await code(post(null, { "sec-fetch-site": "same-origin" }))).toBe("ok");
  expect(await code(post("http://localhost:3000", { "sec-fetch-site": "cross-site" }))).toBe("forbidden");
});

test("the CSRF check lets safe methods through and compares the Origin with the Host", () => {
  const req = (method: string, headers: Record<string, string>) =>
    new Request("http://app.internal/api/x", { method, headers });
  expect(() => assertSameOrigin(req("GET", { origin: "https://evil.example" }))).not.toThrow();
  expect(() =>
    assertSameOrigin(req("DELETE", { origin: "https://tl.example.com", host: "tl.example.com" })),
  ).not.toThrow();
  expect(() =>
    assertSameOrigin(
      req("DELETE", { origin: "https://tl.example.com.evil.example", host: "tl.example.com" }),
    ),
  ).toThrow(AppError);
});

test("the CSRF check believes X-Forwarded-Host only when TL_TRUSTED_PROXIES says a proxy sets it", () => {
  const saved = process.env.TL_TRUSTED_PROXIES;
  onTestFinished(() => restoreEnv("TL_TRUSTED_PROXIES", saved));
  const post = (origin: string, forwardedHost: string) =>
    new Request("http://app.internal/api/x", {
      method: "POST",
      headers: { origin, host: "app.internal:3000", "x-forwarded-host": forwardedHost },
    });
  const refusal = (req: Request) => {
    try {
      assertSameOrigin(req);
      return "ok";
    } catch (e) {
      return e instanceof AppError ? `${e.code}: ${e.message}` : String(e);
    }
  };
  delete process.env.TL_TRUSTED_PROXIES;
  expect(refusal(post("http://evil.test", "evil.test"))).toBe("forbidden: cross-site request refused");
  expect(refusal(post("https://tl.example.com", "tl.example.com"))).toBe(
    "forbidden: cross-site request refused",
  );
  expect(refusal(post("http://app.internal:3000", "evil.test"))).toBe("ok");
  process.env.TL_TRUSTED_PROXIES = "0";
  expect(refusal(post("http://evil.test", "evil.test"))).toBe("forbidden: cross-site request refused");
  process.env.TL_TRUSTED_PROXIES = "1";
  expect(refusal(post("https://tl.example.com", "tl.example.com"))).toBe("ok");
  // The outermost trusted hop's entry counts, not what the client put in front of it.
  expect(refusal(post("http://evil.test", "evil.test, tl.example.com"))).toBe(
    "forbidden: cross-site request refused",
  );
  expect(refusal(post("https://tl.example.com", "evil.test, tl.example.com"))).toBe("ok");
});

test("creating an API key with a forged X-Forwarded-Host from another origin is refused without a trusted proxy", async () => {
  const saved = process.env.TL_TRUSTED_PROXIES;
  onTestFinished(() => restoreEnv("TL_TRUSTED_PROXIES", saved));
  delete process.env.TL_TRUSTED_PROXIES;
  const ws = await freshWorkspace();
  const { cookie } = await addMember(ws, "admin");
  const forged = request("/api/settings/keys", {
    method: "POST",
    cookie,
    origin: "http://evil.test",
    headers: { "x-forwarded-host": "evil.test" },
    body: { name: "phished", scopes: ["read"] },
  });
  const res = await createKeyRoute(forged, params({}));
  expect(res.status).toBe(403);
  expect(((await res.json()) as { message: string }).message).toBe("cross-site request refused");
  const same = request("/api/settings/keys", {
    method: "POST",
    cookie,
    body: { name: "mine", scopes: ["read"] },
  });
  expect((await createKeyRoute(same, params({}))).status).toBe(201);
});

test("the client address comes from X-Forwarded-For only as far as TL_TRUSTED_PROXIES vouches for it", () => {
  const saved = process.env.TL_TRUSTED_PROXIES;
  onTestFinished(() => restoreEnv("TL_TRUSTED_PROXIES", saved));
  const spoofed = new Headers({
    "x-forwarded-for": "203.0.113.5, 198.51.100.7, 10.0.0.1",
    "x-real-ip": "10.0.0.2",
  });
  delete process.env.TL_TRUSTED_PROXIES;
  expect(clientIp(spoofed)).toBeNull();
  process.env.TL_TRUSTED_PROXIES = "1";
  expect(clientIp(spoofed)).toBe("10.0.0.1");
  process.env.TL_TRUSTED_PROXIES = "2";
  expect(clientIp(spoofed)).toBe("198.51.100.7");
  expect(clientIp({ "x-real-ip": "10.0.0.2" })).toBeNull();
  process.env.TL_TRUSTED_PROXIES = "many";
  expect(() => clientIp(spoofed)).toThrow(
    "TL_TRUSTED_PROXIES: expected a number of proxy hops from 0 to 10, got 'many'",
  );
});

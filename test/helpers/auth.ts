import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { memberships, users } from "@/db/schema";
import { cliActor, loadMember, type Actor, type Member } from "@/lib/auth/member";
import type { Role } from "@/lib/auth/permissions";
import { sessionCookieName } from "@/lib/auth/secret";
import { useDatabaseForTests as serveTestDatabase } from "@/lib/server/database";
import { hashPassword } from "@/lib/users/password";
import { testDatabase, type TestWorkspace } from "./db";

process.env.NEXTAUTH_SECRET ??= "test-secret-for-vitest-only-0123456789abcdef";
export const BASE = "http://localhost:3000";

/** Route handlers read the app's database through getDb(): point it at the test database. */
export async function routesUseTestDatabase(): Promise<void> {
  serveTestDatabase(await testDatabase());
}

export interface TestMember {
  member: Member;
  actor: Actor;
  cookie: string;
}

/** A new user with `role` in the workspace (optionally with a password), signed in: a member, an actor, a session cookie. */
export async function addMember(ws: TestWorkspace, role: Role, password?: string): Promise<TestMember> {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
  const [user] = await ws.db
    .insert(users)
    .values({ email, name: role, passwordHash: password ? await hashPassword(password) : null })
    .returning({ id: users.id });
  if (!user) throw new Error("user insert returned nothing");
  await ws.db.insert(memberships).values({ workspaceId: ws.id, userId: user.id, role });
  const member = await loadMember(ws.db, user.id, ws.slug);
  if (!member) throw new Error("member not loaded");
  return {
    member,
    actor: { workspaceId: ws.id, userId: user.id, label: email, role, ip: "203.0.113.9" },
    cookie: await sessionCookie(user.id, email),
  };
}

export async function sessionCookie(userId: number, email: string, maxAge = 3600): Promise<string> {
  const token = await encode({
    token: { uid: userId, email, sub: String(userId) },
    secret: process.env.NEXTAUTH_SECRET!,
    maxAge,
  });
  return `${sessionCookieName()}=${token}`;
}

export const operator = (ws: TestWorkspace): Actor => cliActor(ws.id);

/** A same-origin browser request to a route handler. */
export function request(
  path: string,
  init: {
    method?: string;
    cookie?: string;
    body?: unknown;
    origin?: string | null;
    headers?: Record<string, string>;
  } = {},
): Request {
  const headers: Record<string, string> = { host: "localhost:3000", ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  const method = init.method ?? "GET";
  if (method !== "GET" && init.origin !== null) headers.origin = init.origin ?? BASE;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return new Request(`${BASE}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

import "server-only";
import { cookies } from "next/headers";
import { forbidden as forbiddenPage, redirect } from "next/navigation";
import type { Db } from "@/db/client";
import { forbidden, unauthorized } from "@/lib/errors";
import { getDb } from "@/lib/server/database";
import { loadMember, type Member } from "./member";
import { can, type Permission } from "./permissions";
import {
  assertSameOrigin,
  parseCookieHeader,
  sessionToken,
  WORKSPACE_COOKIE,
  type CookieGetter,
} from "./request";

export type { Member, MemberWorkspace, Actor } from "./member";
export { actorOf } from "./member";

async function memberFrom(db: Db, cookie: CookieGetter): Promise<Member | null> {
  const session = await sessionToken(cookie);
  return session ? loadMember(db, session.userId, cookie(WORKSPACE_COOKIE), session.version) : null;
}

/** The signed-in member in their current workspace (cookie `tl_ws`, else their first), or null. Server only. */
export async function getMember(): Promise<Member | null> {
  const jar = await cookies();
  return memberFrom(await getDb(), (name) => jar.get(name)?.value);
}

/** For pages and server actions: redirects to /signin when signed out, renders the 403 page without the permission. */
export async function requireMember(permission?: Permission): Promise<Member> {
  const member = await getMember();
  if (!member) redirect("/signin");
  if (permission && !can(member.role, permission)) forbiddenPage();
  return member;
}

/** The member behind a route handler's request, or null (no session cookie, expired, or no workspace). */
export async function getApiMember(req: Request, db?: Db): Promise<Member | null> {
  return memberFrom(db ?? (await getDb()), parseCookieHeader(req.headers.get("cookie")));
}

/**
 * For route handlers: 401 when signed out, 403 without the permission. A state-changing request must also come
 * from our own origin (CSRF).
 */
export async function requireApiMember(req: Request, permission?: Permission, db?: Db): Promise<Member> {
  const member = await getApiMember(req, db);
  if (!member) throw unauthorized("sign in first");
  assertSameOrigin(req);
  if (permission && !can(member.role, permission))
    throw forbidden(`the ${member.role} role may not do this (${permission})`);
  return member;
}

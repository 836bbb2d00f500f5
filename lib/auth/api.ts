import "server-only";
import type { Db } from "@/db/client";
import { badRequest } from "@/lib/errors";
import { unstorableField } from "@/lib/events/text";
import { apiRoute } from "@/lib/http";
import { getDb } from "@/lib/server/database";
import { actorOf, type Actor, type Member } from "./member";
import { clientIp } from "./request";
import { requireApiMember } from "./session";

export interface MemberRequest {
  db: Db;
  member: Member;
  /** The member as the lib functions take them (they check the permission and write the audit log). */
  actor: Actor;
}

/**
 * A route handler for a signed-in member: 401 without a session, 403 for a cross-site state change.
 * The permission of each action is checked by the lib function it calls.
 */
export function memberRoute<C>(handler: (req: Request, who: MemberRequest, ctx: C) => Promise<Response>) {
  return apiRoute<C>(async (req, ctx) => {
    const db = await getDb();
    const member = await requireApiMember(req, undefined, db);
    return handler(req, { db, member, actor: actorOf(member, clientIp(req.headers)) }, ctx);
  });
}

/** The request's JSON body; a 400 when it is not JSON or holds text PostgreSQL cannot store (naming the field). */
export async function readJson(req: Request): Promise<unknown> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw badRequest("expected a JSON body");
  }
  const problem = unstorableField(body);
  if (problem) throw badRequest(problem);
  return body;
}

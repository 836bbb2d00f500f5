import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users, workspaces } from "@/db/schema";
import { forbidden } from "@/lib/errors";
import {
  can,
  canReadIndividuals,
  isRole,
  type IndividualRecordKind,
  type Permission,
  type Role,
} from "./permissions";

export interface MemberWorkspace {
  id: number;
  slug: string;
  name: string;
  role: Role;
}

/** The signed-in user in their current workspace. */
export interface Member {
  userId: number;
  email: string;
  name: string | null;
  workspaceId: number;
  workspaceSlug: string;
  workspaceName: string;
  currency: string;
  role: Role;
  workspaces: MemberWorkspace[];
}

/** Who does something in a workspace: a signed-in member, or the operator at the CLI. Every lib write takes one. */
export interface Actor {
  workspaceId: number;
  userId: number | null;
  /** What the audit log shows as "who": the user's e-mail, or "cli". */
  label: string;
  role: Role;
  ip: string | null;
}

export function actorOf(member: Member, ip: string | null): Actor {
  return {
    workspaceId: member.workspaceId,
    userId: member.userId,
    label: member.email,
    role: member.role,
    ip,
  };
}

/** The operator at the command line holds the machine and its database: full rights in the workspace named. */
export function cliActor(workspaceId: number): Actor {
  return { workspaceId, userId: null, label: "cli", role: "admin", ip: null };
}

export function authorize(actor: { role: Role }, permission: Permission): void {
  if (!can(actor.role, permission)) throw forbidden(`the ${actor.role} role may not do this (${permission})`);
}

/** 403 unless the actor's role may read this kind of individual-level data (canReadIndividuals). */
export function authorizeIndividualRead(actor: { role: Role }, kind: IndividualRecordKind): void {
  if (!canReadIndividuals(actor.role, kind))
    throw forbidden(`the ${actor.role} role may not read individual-level data (${kind})`);
}

/**
 * Loads a user's memberships and picks the current workspace: `preferredSlug` when the user belongs to it,
 * else their first workspace. Null when the user no longer exists or belongs to no workspace, or when
 * `sessionVersion` (from the session cookie) is older than the account's: that session was ended.
 */
export async function loadMember(
  db: Db,
  userId: number,
  preferredSlug?: string | null,
  sessionVersion?: number,
): Promise<Member | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) return null;
  if (sessionVersion !== undefined && sessionVersion !== user.sessionVersion) return null;
  const rows = await db
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      currency: workspaces.currency,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name), asc(workspaces.id));
  const valid = rows.filter((r): r is typeof r & { role: Role } => isRole(r.role));
  const current = valid.find((r) => r.slug === preferredSlug) ?? valid[0];
  if (!current) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    workspaceId: current.id,
    workspaceSlug: current.slug,
    workspaceName: current.name,
    currency: current.currency,
    role: current.role,
    workspaces: valid.map((r) => ({ id: r.id, slug: r.slug, name: r.name, role: r.role })),
  };
}

import "server-only";
import { and, desc, eq, gte, ilike, like, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { toCsv } from "@/lib/csv";
import { parseInput } from "@/lib/parse";

/**
 * Failed sign-ins for an e-mail that belongs to no user have no workspace to go to: they are written against
 * workspace 0, which no workspace's audit screen shows (the instance operator reads them in the database).
 */
export const NO_WORKSPACE = 0;

export interface AuditRecord {
  workspaceId: number;
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown> | null;
  ip?: string | null;
}

/** Appends one entry. The app has no path that updates or deletes audit entries. */
export async function recordAudit(db: Db, entry: AuditRecord): Promise<void> {
  await db.insert(auditLog).values({
    workspaceId: entry.workspaceId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? null,
    ip: entry.ip ?? null,
  });
}

/** The audit entry for something `actor` did in their workspace. */
export function recordAction(
  db: Db,
  actor: Actor,
  action: string,
  target: string | null,
  details?: Record<string, unknown>,
): Promise<void> {
  return recordAudit(db, {
    workspaceId: actor.workspaceId,
    actor: actor.label,
    action,
    target,
    details: details ?? null,
    ip: actor.ip,
  });
}

const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "expected a date (2026-01-01) or an ISO-8601 instant with offset (2026-01-01T00:00:00Z)",
  })
  .transform((s) => new Date(s));

export const AuditFilter = z.object({
  action: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(200).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AuditFilter = z.input<typeof AuditFilter>;

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The workspace's audit entries, newest first. `action` matches exactly or as a family (`key` → `key.create`, …). */
export async function listAudit(
  db: Db,
  actor: Actor,
  input: unknown = {},
  maxRows?: number,
): Promise<AuditRow[]> {
  authorize(actor, "audit:read");
  const f = parseInput(AuditFilter, input);
  const where: (SQL | undefined)[] = [eq(auditLog.workspaceId, actor.workspaceId)];
  if (f.action)
    where.push(or(eq(auditLog.action, f.action), like(auditLog.action, `${escapeLike(f.action)}.%`)));
  if (f.actor) where.push(ilike(auditLog.actor, `%${escapeLike(f.actor)}%`));
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lt(auditLog.at, f.to));
  const found = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(maxRows ?? f.limit);
  return found.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: r.details ?? null,
    ip: r.ip,
  }));
}

const AUDIT_CSV_MAX_ROWS = 100_000;

/** The filtered audit log as CSV (all matching rows up to 100,000, newest first). */
export async function auditCsv(db: Db, actor: Actor, input: unknown = {}): Promise<string> {
  const entries = await listAudit(db, actor, input, AUDIT_CSV_MAX_ROWS);
  return toCsv(
    ["at", "actor", "action", "target", "ip", "details"],
    entries.map((e) => [
      e.at,
      e.actor,
      e.action,
      e.target,
      e.ip,
      e.details ? JSON.stringify(e.details) : null,
    ]),
    { lineEnding: "\n" },
  );
}

import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { badRequest, forbidden, notFound, unauthorized } from "@/lib/errors";

/** `suppression`: read suppression lists (lists of subjects), for a marketing tool's sync. */
export const SCOPES = ["ingest", "read", "suppression"] as const;
export type Scope = (typeof SCOPES)[number];

export interface CreatedKey {
  id: number;
  prefix: string;
  key: string;
}

export interface KeyPrincipal {
  keyId: number;
  workspaceId: number;
  scopes: Scope[];
}

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** Creates an API key. The full key is returned once; only its SHA-256 is stored. */
export async function createApiKey(
  db: Db,
  workspaceId: number,
  scopes: string[],
  name?: string,
): Promise<CreatedKey> {
  const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (!scopes.length || bad.length)
    throw badRequest(`scope: expected ${SCOPES.join(", ")}, got '${bad.join(", ") || "(none)"}'`);
  const prefix = `tl_${randomBytes(6).toString("hex")}`;
  const key = `${prefix}_${randomBytes(24).toString("base64url")}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ workspaceId, prefix, hash: hashSecret(key), scopes, name: name ?? null })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error("api key insert returned nothing");
  return { id: row.id, prefix, key };
}

export async function listApiKeys(db: Db, workspaceId: number) {
  const keys = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt));
  return keys.map((k) => ({
    id: k.id,
    prefix: k.prefix,
    name: k.name,
    scopes: k.scopes,
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiKey(db: Db, workspaceId: number, idOrPrefix: string): Promise<void> {
  const byId = /^\d+$/.test(idOrPrefix);
  const where = byId ? eq(apiKeys.id, Number(idOrPrefix)) : eq(apiKeys.prefix, idOrPrefix);
  const updated = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.workspaceId, workspaceId), where, isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!updated.length) throw notFound(`api key '${idOrPrefix}' not found or already revoked`);
}

/** Resolves `Authorization: Bearer <key>`; 401 for a missing, unknown or revoked key, 403 without the scope. */
export async function authenticateKey(
  db: Db,
  authorization: string | null,
  scope: Scope,
): Promise<KeyPrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) throw unauthorized("missing API key: send 'Authorization: Bearer <key>'");
  const key = match[1];
  const prefix = key.split("_").slice(0, 2).join("_");
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix)).limit(1);
  const expected = Buffer.from(row?.hash ?? "0".repeat(64), "hex");
  const given = Buffer.from(hashSecret(key), "hex");
  if (!row || !timingSafeEqual(expected, given) || row.revokedAt)
    throw unauthorized("invalid or revoked API key");
  if (!row.scopes.includes(scope)) throw forbidden(`this API key lacks the '${scope}' scope`);
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, row.id));
  }
  return { keyId: row.id, workspaceId: row.workspaceId, scopes: row.scopes as Scope[] };
}

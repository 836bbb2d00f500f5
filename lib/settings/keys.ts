import { z } from "zod";
import type { Db } from "@/db/client";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { createApiKey, listApiKeys, revokeApiKey, SCOPES, type CreatedKey } from "@/lib/keys";
import { parseInput } from "@/lib/parse";

export const NewApiKey = z.object({
  name: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((s) => s || undefined),
  scopes: z.array(z.enum(SCOPES)).min(1, "choose at least one scope"),
});

export async function listKeys(db: Db, actor: Actor): ReturnType<typeof listApiKeys> {
  authorize(actor, "keys:manage");
  return listApiKeys(db, actor.workspaceId);
}

/** Creates a key in the actor's workspace; the returned `key` is the only time it is shown. */
export async function createKey(db: Db, actor: Actor, input: unknown): Promise<CreatedKey> {
  authorize(actor, "keys:manage");
  const { name, scopes } = parseInput(NewApiKey, input);
  const created = await createApiKey(db, actor.workspaceId, [...new Set(scopes)], name);
  await recordAction(db, actor, "key.create", created.prefix, { scopes, name: name ?? null });
  return created;
}

const Revocation = z.object({ id: z.coerce.number().int().positive() });

/** Revokes a key of the actor's workspace; another workspace's key is "not found". */
export async function revokeKey(db: Db, actor: Actor, input: unknown): Promise<void> {
  authorize(actor, "keys:manage");
  const { id } = parseInput(Revocation, input);
  await revokeApiKey(db, actor.workspaceId, String(id));
  await recordAction(db, actor, "key.revoke", String(id));
}

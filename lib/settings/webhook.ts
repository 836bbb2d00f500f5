import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { workspaces } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { parseInput } from "@/lib/parse";
import { getWorkspaceById } from "@/lib/workspaces";
import { resolveWebhookTarget } from "@/lib/campaigns/webhook-target";

export interface WebhookSettings {
  url: string | null;
  /** The secret itself is never read back: only whether one is set. */
  secret_set: boolean;
}

// The rules themselves (https, public addresses only) are checked with the host resolved, in saveWebhook.
const WebhookUrl = z.string().trim().max(2000);

export const WebhookInput = z.object({
  url: WebhookUrl.nullable().or(z.literal("").transform(() => null)),
  secret: z
    .discriminatedUnion("mode", [
      z.object({ mode: z.literal("keep") }),
      z.object({ mode: z.literal("generate") }),
      z.object({
        mode: z.literal("set"),
        value: z.string().min(16, "a secret of at least 16 characters").max(256),
      }),
    ])
    .default({ mode: "keep" }),
});

export async function getWebhook(db: Db, actor: Actor): Promise<WebhookSettings> {
  authorize(actor, "settings:read");
  const ws = await getWorkspaceById(db, actor.workspaceId);
  return { url: ws.webhookUrl, secret_set: !!ws.webhookSecret };
}

/**
 * Saves the campaign hand-off webhook: an https URL whose host resolves to public addresses only (checked again
 * before every send). A generated secret is returned once, here, and never again. Campaigns approved before keep
 * the URL they were approved with.
 */
export async function saveWebhook(
  db: Db,
  actor: Actor,
  input: unknown,
): Promise<WebhookSettings & { generated_secret: string | null }> {
  authorize(actor, "settings:write");
  const { url, secret } = parseInput(WebhookInput, input);
  if (url) await resolveWebhookTarget(url);
  const generated = secret.mode === "generate" ? `whsec_${randomBytes(24).toString("base64url")}` : null;
  const newSecret = secret.mode === "set" ? secret.value : generated;
  const before = await getWorkspaceById(db, actor.workspaceId);
  const after = newSecret ?? (url ? before.webhookSecret : null);
  await db
    .update(workspaces)
    .set({ webhookUrl: url, webhookSecret: after })
    .where(eq(workspaces.id, actor.workspaceId));
  await recordAction(db, actor, "settings.webhook_save", "webhook", {
    url,
    secret_changed: after !== before.webhookSecret,
  });
  return { url, secret_set: !!after, generated_secret: generated };
}

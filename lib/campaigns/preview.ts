import type { Db } from "@/db/client";
import { authorize, type Actor } from "@/lib/auth/member";
import { parseInput } from "@/lib/parse";
import { fieldEntry, purposeEntry } from "./audience";
import { MessageQuery } from "./input";
import { checkTemplate, DEFAULT_TEMPLATES, renderMessage } from "./message";
import type { MessagePreview } from "./types";

/** The draft's message as customers would read it; no template means the action's default. */
export async function previewMessage(db: Db, actor: Actor, input: unknown): Promise<MessagePreview> {
  authorize(actor, "campaigns:read");
  const q = parseInput(MessageQuery, input);
  const field = await fieldEntry(db, actor.workspaceId, q.field);
  const purpose = q.purpose ? await purposeEntry(db, actor.workspaceId, q.purpose) : null;
  const template = q.template?.trim() || DEFAULT_TEMPLATES[q.action];
  checkTemplate(template, !!purpose);
  return {
    template,
    message: renderMessage(template, { field: field.name, purpose: purpose?.name ?? null }),
  };
}

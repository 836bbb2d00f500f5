import { badRequest } from "@/lib/errors";
import type { CampaignAction } from "./types";

const SPEC_OPENING = "We are not using your {field} for anything that helps you";

/** The plain, human default of SPEC section 5; each campaign may edit it. */
export const DEFAULT_TEMPLATES: Record<CampaignAction, string> = {
  delete: `${SPEC_OPENING}, so we have deleted it.`,
  release: `${SPEC_OPENING}, so we have given back the permission you gave us.`,
  ask: `${SPEC_OPENING}. Would you like us to keep it, or shall we delete it? Either answer is fine — just tell us.`,
};

export const PLACEHOLDERS = ["field", "purpose"] as const;
const PLACEHOLDER_RE = /\{([^{}]*)\}/g;

/** "Birthday" reads as "birthday" inside a sentence; "ID" or an undeclared key stays as it is. */
export function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

/** Every placeholder must be known, and `{purpose}` needs a purpose: a 400 that says which. */
export function checkTemplate(template: string, hasPurpose: boolean): void {
  for (const [, name] of template.matchAll(PLACEHOLDER_RE)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name ?? "")) {
      throw badRequest(
        `message: unknown placeholder {${name}}; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(" or ")}`,
      );
    }
    if (name === "purpose" && !hasPurpose)
      throw badRequest("message: {purpose} needs a purpose on the campaign");
  }
}

/** The text each contacted customer gets: the same for all of them, since it holds no personal data. */
export function renderMessage(template: string, names: { field: string; purpose: string | null }): string {
  return template.replace(PLACEHOLDER_RE, (whole, name: string) => {
    if (name === "field") return inSentence(names.field);
    if (name === "purpose" && names.purpose) return inSentence(names.purpose);
    return whole;
  });
}

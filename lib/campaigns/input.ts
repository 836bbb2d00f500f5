import { z } from "zod";
import { KEY_RE } from "@/lib/events/contract";
import { CAMPAIGN_ACTIONS } from "./types";

const key = (what: string) => z.string().trim().regex(KEY_RE, `expected a ${what} key`);
const optional = <T extends z.ZodType<string | null>>(schema: T) =>
  z
    .union([z.literal(""), z.null(), schema])
    .optional()
    .transform((v) => (v ? v : null));

export const HOLDOUT_MAX = 50;

/** A campaign as the create and edit forms send it. `message` absent: the default template of the action. */
export const CampaignDraft = z
  .object({
    name: z.string().trim().min(1, "give the campaign a name").max(120, "expected at most 120 characters"),
    field: key("field"),
    purpose: optional(key("purpose")),
    region: optional(
      z
        .string()
        .trim()
        .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, "expected an ISO 3166 code such as DE or US-CA"),
    ),
    channel: optional(z.string().trim().min(1).max(32, "expected at most 32 characters")),
    action: z.enum(CAMPAIGN_ACTIONS, { error: `expected one of ${CAMPAIGN_ACTIONS.join(", ")}` }),
    holdout_percent: z.coerce
      .number({ error: "expected a whole percentage" })
      .int("expected a whole percentage")
      .min(0, "expected 0 or more")
      .max(
        HOLDOUT_MAX,
        `expected at most ${HOLDOUT_MAX}: a larger holdout leaves too few people to give back to`,
      )
      .default(10),
    message: z.string().trim().max(1000, "expected at most 1000 characters").optional(),
  })
  .refine((d) => d.action !== "release" || d.purpose, {
    path: ["purpose"],
    message: "a release hands back the permission for one purpose: choose it",
  });
export type CampaignDraft = z.output<typeof CampaignDraft>;

export const Review = z.object({
  comment: z.string().trim().max(2000, "expected at most 2000 characters").default(""),
});

export const MessageQuery = z.object({
  field: key("field"),
  purpose: optional(key("purpose")),
  action: z.enum(CAMPAIGN_ACTIONS, { error: `expected one of ${CAMPAIGN_ACTIONS.join(", ")}` }),
  template: z.string().max(1000, "expected at most 1000 characters").optional(),
});

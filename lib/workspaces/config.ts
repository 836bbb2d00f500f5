import { z } from "zod";
import { KEY_RE } from "@/lib/events/contract";
import { SignalMappingConfig } from "@/lib/signals/workspace-mapping";

export const LEGAL_BASES = [
  "consent",
  "contract",
  "legitimate_interest",
  "legal_obligation",
  "vital_interest",
  "public_task",
] as const;
export const SENSITIVITIES = ["low", "medium", "high", "special"] as const;

const Key = z
  .string()
  .regex(KEY_RE, "expected a key of lowercase letters, digits, '.', '_' or '-' (1-64 characters)");

export const PurposeConfig = z.strictObject({
  key: Key,
  name: z.string().min(1).max(200),
  description: z.string().max(2000).nullish(),
  value_promise: z.string().max(2000).nullish(),
  legal_basis: z.enum(LEGAL_BASES).nullish(),
  // `config export` prints the status; applying a file declares every entry, so it is accepted and ignored.
  status: z.enum(["declared", "undeclared"]).optional(),
});
export type PurposeConfig = z.infer<typeof PurposeConfig>;

export const FieldConfig = z.strictObject({
  key: Key,
  name: z.string().min(1).max(200),
  sensitivity: z.enum(SENSITIVITIES).default("medium"),
  dormancy_days: z.number().int().min(1).max(3650).default(180),
  purposes: z.array(Key).default([]),
  status: z.enum(["declared", "undeclared"]).optional(),
});
export type FieldConfig = z.infer<typeof FieldConfig>;

export const WorkspaceConfig = z.looseObject({
  purposes: z.array(PurposeConfig).default([]),
  fields: z.array(FieldConfig).default([]),
  /** How consent signals map to purposes (lib/signals/mapping.ts); null goes back to the defaults. */
  signal_mapping: SignalMappingConfig.nullish(),
  /** Days a data subject request may take before it is late (SPEC 4); absent leaves the stored value. */
  dsar_due_days: z
    .number()
    .int()
    .min(1, "expected at least 1 day")
    .max(365, "expected at most 365 days")
    .optional(),
  /** Event sources that mean the customer used a control (SPEC 4, control effect); absent leaves the stored list. */
  control_sources: z
    .array(z.string().min(1).max(64, "expected a source of at most 64 characters"))
    .max(50)
    .optional(),
});
export type WorkspaceConfig = z.infer<typeof WorkspaceConfig>;

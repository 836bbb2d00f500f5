import { z } from "zod";
import { SignalMapping, defaultSignalMapping } from "./mapping";

/**
 * A workspace's mapping as written in its configuration file: checked against SignalMapping but kept as
 * written, so the parts it leaves out keep following the product's defaults.
 */
export const SignalMappingConfig = z
  .record(z.string(), z.unknown(), { error: "expected an object" })
  .superRefine((value, ctx) => {
    const parsed = SignalMapping.safeParse(value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  });

/** The stored mapping (workspaces.signal_mapping) merged over the defaults, part by part. */
export function effectiveSignalMapping(stored: unknown): SignalMapping {
  if (stored === null || stored === undefined) return defaultSignalMapping;
  const parsed = SignalMapping.safeParse(stored);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new Error(
    `the workspace's signal_mapping is invalid (${first?.path.join(".")}: ${first?.message}); fix it with tl config apply`,
  );
}

const PARTS = ["gpp", "gpc", "google_consent_mode", "segment"] as const;
const TCF_PARTS = ["purposes", "special_features"] as const;

/** Only the parts that differ from the defaults, so that what an admin left alone keeps following them. */
export function compactSignalMapping(mapping: SignalMapping): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const tcf: Record<string, unknown> = {};
  for (const part of TCF_PARTS)
    if (!same(mapping.tcf[part], defaultSignalMapping.tcf[part])) tcf[part] = mapping.tcf[part];
  if (Object.keys(tcf).length) out.tcf = tcf;
  for (const part of PARTS) if (!same(mapping[part], defaultSignalMapping[part])) out[part] = mapping[part];
  return Object.keys(out).length ? out : null;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

import type { SignalMapping } from "./mapping";
import type { DesiredConsent } from "./signal";
import type { DecodeOutcome } from "./decoder-thread";
import { decodeFailure, tcfToDesired } from "./tcf";

const FIELD = "gpp_string";

// GPP's US sections: 0 = not applicable, 1 = opted out, 2 = did not opt out.
const OPTED_OUT = 1;
const US_OPT_OUTS = [
  ["SaleOptOut", "sale"],
  ["SharingOptOut", "sharing"],
  ["TargetedAdvertisingOptOut", "targeted_advertising"],
] as const;

type SectionFields = Record<string, unknown>;

/** The sections of a decoded GPP string; a string that did not decode is rejected. */
function gppSections(outcome: DecodeOutcome): Map<string, SectionFields> {
  if (!outcome.ok) throw decodeFailure(FIELD, "GPP string", outcome.failure);
  return new Map(outcome.gpp?.sections ?? []);
}

/**
 * US opt-outs (usnat, state sections, uspv1) withdraw the mapped purposes; "did not opt out" and
 * "not applicable" say nothing, since not objecting is not a yes. A section's GPC flag withdraws the
 * GPC purposes. A tcfeuv2 section is read like a TC string. When sections disagree about a purpose,
 * the most restrictive answer wins.
 */
export function gppToDesired(decoded: DecodeOutcome, mapping: SignalMapping): DesiredConsent[] {
  const desired = new Map<string, DesiredConsent>();
  const offer = (d: DesiredConsent) => {
    const existing = desired.get(d.purpose);
    if (!existing || RANK[d.state] > RANK[existing.state]) desired.set(d.purpose, d);
  };

  const sections = gppSections(decoded);
  const gpcPurposes: string[] = [];
  for (const [name, fields] of sections) {
    if (name === "tcfeuv2") {
      const purposeConsents = booleans(fields.PurposeConsents);
      const specialFeatures = booleans(fields.SpecialFeatureOptins);
      const choices = {
        purposeConsent: (id: number) => purposeConsents[id - 1] === true,
        specialFeatureOptIn: (id: number) => specialFeatures[id - 1] === true,
      };
      tcfToDesired(choices, mapping.tcf, "gpp").forEach(offer);
    } else if (name === "uspv1") {
      if (fields.OptOutSale === "Y") withdraw(mapping.gpp.sale).forEach(offer);
    } else if (name.startsWith("us")) {
      for (const [field, kind] of US_OPT_OUTS) {
        if (fields[field] === OPTED_OUT) withdraw(mapping.gpp[kind]).forEach(offer);
      }
      if (fields.Gpc === true) gpcPurposes.push(...mapping.gpc);
    }
  }
  // After the explicit opt-outs, so a purpose withdrawn by both keeps the GPP section as its source.
  for (const purpose of gpcPurposes) offer({ purpose, state: "withdrawn", source: "gpc" });
  return [...desired.values()];
}

const RANK: Record<DesiredConsent["state"], number> = { granted: 1, denied: 2, withdrawn: 3 };

function withdraw(purposes: readonly string[]): DesiredConsent[] {
  return purposes.map((purpose) => ({ purpose, state: "withdrawn", source: "gpp" }));
}

function booleans(value: unknown): boolean[] {
  return Array.isArray(value) ? value.map((v) => v === true) : [];
}

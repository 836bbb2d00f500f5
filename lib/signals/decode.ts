import { CONSENT_MODE_TYPES, type SignalMapping } from "./mapping";
import type { DesiredConsent, Signal, SignalSource } from "./signal";
import { decodeTcString, tcfToDesired } from "./tcf";
import { gppToDesired } from "./gpp";

export { Signal, parseSignal, type DesiredConsent, type SignalInput, type SignalSource } from "./signal";
export { SignalError } from "./errors";

/**
 * What a signal says about each of the workspace's purposes, one entry per purpose that the
 * mapping reaches, sorted by purpose. Throws SignalError when a TC or GPP string does not decode.
 */
export function decodeSignal(input: Signal, mapping: SignalMapping): DesiredConsent[] {
  return desiredFor(input, mapping).sort((a, b) => (a.purpose < b.purpose ? -1 : a.purpose > b.purpose ? 1 : 0));
}

function desiredFor(input: Signal, mapping: SignalMapping): DesiredConsent[] {
  switch (input.kind) {
    case "tcf":
      return tcfToDesired(decodeTcString(input.tc_string, "tc_string"), mapping.tcf, "tcf");
    case "gpp":
      return gppToDesired(input.gpp_string, mapping);
    case "gpc":
      // A browser without GPC has not said anything; it is not a yes.
      return input.gpc ? unique(mapping.gpc).map((purpose) => ({ purpose, state: "withdrawn", source: "gpc" })) : [];
    case "google_consent_mode": {
      const answers: Array<[readonly string[], boolean]> = [];
      for (const type of CONSENT_MODE_TYPES) {
        const state = input.consent[type];
        if (state !== undefined) answers.push([mapping.google_consent_mode[type], state === "granted"]);
      }
      return allGranted(answers, "google_consent_mode");
    }
    case "segment":
      return segmentToDesired(input.category_preferences, mapping.segment);
  }
}

// Category names are free text typed into Segment per workspace; "Data Sharing", "DataSharing"
// and "data_sharing" are meant as the same category.
const categoryKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");

function segmentToDesired(preferences: Record<string, boolean>, mapping: SignalMapping["segment"]): DesiredConsent[] {
  const given = new Map<string, boolean>();
  for (const [name, yes] of Object.entries(preferences)) {
    const key = categoryKey(name);
    given.set(key, (given.get(key) ?? true) && yes);
  }
  const answers: Array<[readonly string[], boolean]> = [];
  for (const [category, purposes] of Object.entries(mapping)) {
    const yes = given.get(categoryKey(category));
    if (yes !== undefined) answers.push([purposes, yes]);
  }
  return allGranted(answers, "segment");
}

/** A purpose is granted only when every answer that maps to it is a yes. */
function allGranted(answers: Array<[readonly string[], boolean]>, source: SignalSource): DesiredConsent[] {
  const granted = new Map<string, boolean>();
  for (const [purposes, yes] of answers) {
    for (const purpose of purposes) granted.set(purpose, (granted.get(purpose) ?? true) && yes);
  }
  return [...granted].map(([purpose, yes]) => ({ purpose, state: yes ? "granted" : "denied", source }));
}

function unique(purposes: readonly string[]): string[] {
  return [...new Set(purposes)];
}

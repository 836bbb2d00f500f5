import { TCString } from "@iabtcf/core";
import type { SignalMapping } from "./mapping";
import { TCF_PURPOSE_IDS, TCF_SPECIAL_FEATURE_IDS } from "./mapping";
import type { DesiredConsent, SignalSource } from "./signal";
import { SignalError, describeCause } from "./errors";

/** The consent choices of one TC string: TCF purpose ids and special feature ids are 1-based. */
export interface TcfChoices {
  purposeConsent(id: number): boolean;
  specialFeatureOptIn(id: number): boolean;
}

export function decodeTcString(tcString: string, field: string): TcfChoices {
  let model: ReturnType<typeof TCString.decode>;
  try {
    model = TCString.decode(tcString);
  } catch (cause) {
    // Only the library's DecodingError says something useful; other throws are its internals tripping.
    const reason = cause instanceof Error && cause.name === "DecodingError" ? describeCause(cause) : "its segments do not decode";
    throw new SignalError([`${field}: not a valid TCF v2 TC string (${reason})`]);
  }
  if (Number(model.version) !== 2) {
    throw new SignalError([`${field}: not a valid TCF v2 TC string (version ${String(model.version)} strings are not supported)`]);
  }
  return {
    purposeConsent: (id) => model.purposeConsents.has(id),
    specialFeatureOptIn: (id) => model.specialFeatureOptins.has(id),
  };
}

/**
 * Each mapped purpose is granted only when every TCF purpose and special feature mapped to it
 * is consented; otherwise it is denied. Legitimate-interest bits are not consent and are ignored.
 */
export function tcfToDesired(choices: TcfChoices, mapping: SignalMapping["tcf"], source: SignalSource): DesiredConsent[] {
  const granted = new Map<string, boolean>();
  const require = (purposes: readonly string[], consented: boolean) => {
    for (const purpose of purposes) granted.set(purpose, (granted.get(purpose) ?? true) && consented);
  };
  for (const id of TCF_PURPOSE_IDS) require(mapping.purposes[id], choices.purposeConsent(Number(id)));
  for (const id of TCF_SPECIAL_FEATURE_IDS) require(mapping.special_features[id], choices.specialFeatureOptIn(Number(id)));
  return [...granted].map(([purpose, yes]) => ({ purpose, state: yes ? "granted" : "denied", source }));
}

import type { SignalMapping } from "./mapping";
import { TCF_PURPOSE_IDS, TCF_SPECIAL_FEATURE_IDS } from "./mapping";
import type { DesiredConsent, SignalSource } from "./signal";
import {
  DECODE_TIME_LIMIT_MS,
  DECODE_TIMEOUTS_PER_BATCH,
  type DecodeFailure,
  type DecodeOutcome,
} from "./decoder-thread";
import { SignalError, describeCause } from "./errors";

/** The consent choices of one TC string: TCF purpose ids and special feature ids are 1-based. */
export interface TcfChoices {
  purposeConsent(id: number): boolean;
  specialFeatureOptIn(id: number): boolean;
}

/** A string the decoder thread could not read, as the rejection that names its field. */
export function decodeFailure(field: string, what: string, failure: DecodeFailure): SignalError {
  switch (failure.reason) {
    case "time_limit":
      return new SignalError([
        `${field}: not decoded within ${DECODE_TIME_LIMIT_MS} ms; a real ${what} decodes in a few milliseconds`,
      ]);
    case "batch_budget":
      return new SignalError([
        `${field}: not decoded: this batch already had ${DECODE_TIMEOUTS_PER_BATCH} strings over the ${DECODE_TIME_LIMIT_MS} ms decode limit`,
      ]);
    case "crashed":
      return new SignalError([`${field}: not a valid ${what} (decoding it ran out of its memory limit)`]);
    case "invalid": {
      // Only the TCF library's DecodingError says something useful; its other throws are its internals tripping.
      const reason =
        what !== "TCF v2 TC string" || failure.name === "DecodingError"
          ? describeCause(failure.message)
          : "its segments do not decode";
      return new SignalError([
        `${field}: not a valid ${what} (${failure.section ? `section ${failure.section}: ` : ""}${reason})`,
      ]);
    }
  }
}

/** The consent choices of a decoded TC string; a string that did not decode, or is not version 2, is rejected. */
export function tcfChoices(outcome: DecodeOutcome, field: string): TcfChoices {
  if (!outcome.ok) throw decodeFailure(field, "TCF v2 TC string", outcome.failure);
  const decoded = outcome.tcf;
  if (!decoded) throw new SignalError([`${field}: not a valid TCF v2 TC string (nothing decoded)`]);
  if (decoded.version !== 2) {
    throw new SignalError([
      `${field}: not a valid TCF v2 TC string (version ${decoded.version} strings are not supported)`,
    ]);
  }
  const consents = new Set(decoded.purposeConsents);
  const optIns = new Set(decoded.specialFeatureOptins);
  return { purposeConsent: (id) => consents.has(id), specialFeatureOptIn: (id) => optIns.has(id) };
}

/**
 * Each mapped purpose is granted only when every TCF purpose and special feature mapped to it
 * is consented; otherwise it is denied. Legitimate-interest bits are not consent and are ignored.
 */
export function tcfToDesired(
  choices: TcfChoices,
  mapping: SignalMapping["tcf"],
  source: SignalSource,
): DesiredConsent[] {
  const granted = new Map<string, boolean>();
  const require = (purposes: readonly string[], consented: boolean) => {
    for (const purpose of purposes) granted.set(purpose, (granted.get(purpose) ?? true) && consented);
  };
  for (const id of TCF_PURPOSE_IDS) require(mapping.purposes[id], choices.purposeConsent(Number(id)));
  for (const id of TCF_SPECIAL_FEATURE_IDS)
    require(mapping.special_features[id], choices.specialFeatureOptIn(Number(id)));
  return [...granted].map(([purpose, yes]) => ({ purpose, state: yes ? "granted" : "denied", source }));
}

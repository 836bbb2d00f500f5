import { CONSENT_MODE_TYPES, type SignalMapping } from "./mapping";
import type { DesiredConsent, Signal, SignalSource } from "./signal";
import { decodeStrings, type DecodeJob, type DecodeOutcome } from "./decoder-thread";
import { SignalError } from "./errors";
import { tcfChoices, tcfToDesired } from "./tcf";
import { gppToDesired } from "./gpp";

export { Signal, parseSignal, type DesiredConsent, type SignalInput, type SignalSource } from "./signal";
export { SignalError } from "./errors";

/**
 * What a signal says about each of the workspace's purposes, one entry per purpose that the
 * mapping reaches, sorted by purpose. Rejects with a SignalError when a TC or GPP string does not decode.
 */
export async function decodeSignal(input: Signal, mapping: SignalMapping): Promise<DesiredConsent[]> {
  const [result] = await decodeSignals([input], mapping);
  if (result instanceof SignalError) throw result;
  return result ?? [];
}

/** A batch of signals decoded together (their TC and GPP strings in one turn on the decoder thread): each signal's answer or the SignalError that rejects it. */
export async function decodeSignals(
  inputs: readonly Signal[],
  mapping: SignalMapping,
): Promise<Array<DesiredConsent[] | SignalError>> {
  const jobs: DecodeJob[] = [];
  const jobOf = new Map<number, number>();
  inputs.forEach((input, i) => {
    const job =
      input.kind === "tcf"
        ? { kind: "tcf" as const, value: input.tc_string }
        : input.kind === "gpp"
          ? { kind: "gpp" as const, value: input.gpp_string }
          : null;
    if (job) jobOf.set(i, jobs.push(job) - 1);
  });
  const outcomes = jobs.length ? await decodeStrings(jobs) : [];
  return inputs.map((input, i) => {
    const index = jobOf.get(i);
    try {
      return desiredFor(input, mapping, index === undefined ? undefined : outcomes[index]).sort((a, b) =>
        a.purpose < b.purpose ? -1 : a.purpose > b.purpose ? 1 : 0,
      );
    } catch (e) {
      if (e instanceof SignalError) return e;
      throw e;
    }
  });
}

const NOT_DECODED: DecodeOutcome = { ok: false, failure: { reason: "crashed" } };

function desiredFor(
  input: Signal,
  mapping: SignalMapping,
  decoded: DecodeOutcome = NOT_DECODED,
): DesiredConsent[] {
  switch (input.kind) {
    case "tcf":
      return tcfToDesired(tcfChoices(decoded, "tc_string"), mapping.tcf, "tcf");
    case "gpp":
      return gppToDesired(decoded, mapping);
    case "gpc":
      // A browser without GPC has not said anything; it is not a yes.
      return input.gpc
        ? unique(mapping.gpc).map((purpose) => ({ purpose, state: "withdrawn", source: "gpc" }))
        : [];
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

function segmentToDesired(
  preferences: Record<string, boolean>,
  mapping: SignalMapping["segment"],
): DesiredConsent[] {
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

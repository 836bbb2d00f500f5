import type { Db } from "@/db/client";
import { UnparseableRecord, validateEvent } from "@/lib/events/contract";
import { ingestEvents } from "@/lib/ingest";
import { consentStatesAt, probeKey, type LatestConsent } from "./consent-state";
import { decodeSignals } from "./decode";
import { SignalError } from "./errors";
import type { SignalMapping } from "./mapping";
import { loadSignalMapping } from "./settings";
import { parseSignal, type DesiredConsent, type Signal, type SignalSource } from "./signal";
import { signalToEvents, type ConsentState, type SignalEvent } from "./to-events";

export interface SignalRejection {
  index: number;
  errors: string[];
}

/** The answer of `POST /api/v1/signals` and `tl import --format <signal kind>`. */
export interface SignalSummary {
  /** Consent events stored. */
  accepted: number;
  /** Consent events derived again that were already stored (same id). */
  duplicates: number;
  /** Valid signals that changed nothing: they restate the subject's consent, or are replays. */
  unchanged: number;
  rejected: SignalRejection[];
  /** Ids of the consent events the signals produced, in event order (with `duplicates`, some were stored before). */
  events: string[];
}

export interface SignalBatchOptions {
  /** A signal without `kind` is of this kind (`tl import --format tcf`); one with another kind is rejected. */
  kind?: SignalSource;
  /** The request carried `Sec-GPC: 1`: a signal without `kind` that is not a Segment payload is a GPC signal. */
  gpcHeader?: boolean;
  /** Added to each rejection's index (a file imported in chunks). */
  indexOffset?: number;
}

interface ReadSignal {
  index: number;
  signal: Signal;
  desired: DesiredConsent[];
}

/** A consent change this batch produced for a subject. */
interface BatchChange extends LatestConsent {
  purpose: string;
}

const inEventOrder = (a: ReadSignal, b: ReadSignal) =>
  a.signal.occurred_at < b.signal.occurred_at
    ? -1
    : a.signal.occurred_at > b.signal.occurred_at
      ? 1
      : a.index - b.index;

/**
 * Turns consent signals into consent events: each signal is parsed and decoded with the workspace's mapping,
 * compared with the subject's consent state at its occurred_at, and only the changes are stored. Signals are
 * applied in event order (occurred_at, then position in the batch), each seeing the state the earlier ones of
 * the same subject produced. Replaying a signal finds its own events in the state and adds nothing.
 */
export async function ingestSignals(
  db: Db,
  workspaceId: number,
  inputs: readonly unknown[],
  options: SignalBatchOptions = {},
): Promise<SignalSummary> {
  const mapping = await loadSignalMapping(db, workspaceId);
  const rejected: SignalRejection[] = [];
  const read = await readSignals(inputs, mapping, options, rejected);
  const probe = (s: Signal) => ({ subject: s.subject, at: s.occurred_at });
  const stored = await consentStatesAt(
    db,
    workspaceId,
    read.map((r) => probe(r.signal)),
  );

  const produced = new Map<string, BatchChange[]>();
  const events: SignalEvent[] = [];
  const signalOfEvent: number[] = [];
  let unchanged = 0;
  for (const r of [...read].sort(inEventOrder)) {
    const earlier = produced.get(r.signal.subject) ?? [];
    const derived = signalToEvents(
      r.signal,
      r.desired,
      currentState(stored.get(probeKey(probe(r.signal))), earlier),
    );
    if (!derived.length) {
      unchanged++;
      continue;
    }
    for (const e of derived)
      earlier.push({
        purpose: e.purpose,
        state: e.type.slice("consent.".length) as LatestConsent["state"],
        at: e.occurred_at,
      });
    produced.set(r.signal.subject, earlier);
    events.push(...derived);
    signalOfEvent.push(...derived.map(() => r.index));
  }

  // Rejected signals go along as unparseable records so that the Events screen lists them with their reasons.
  const unreadable = rejected.map((r) => new UnparseableRecord(`signal ${r.index}: ${r.errors.join("; ")}`));
  const summary = await ingestEvents(db, workspaceId, [...events, ...unreadable], "signals");
  const refused = new Set<string>();
  for (const r of summary.rejected) {
    const index = signalOfEvent[r.index];
    if (index === undefined) continue;
    refused.add(r.id ?? "");
    rejected.push({ index, errors: r.errors });
  }
  rejected.sort((a, b) => a.index - b.index);
  return {
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    unchanged,
    rejected,
    events: events.map((e) => e.id).filter((id) => !refused.has(id)),
  };
}

async function readSignals(
  inputs: readonly unknown[],
  mapping: SignalMapping,
  options: SignalBatchOptions,
  rejected: SignalRejection[],
): Promise<ReadSignal[]> {
  const parsed: Array<{ index: number; signal: Signal }> = [];
  inputs.forEach((input, i) => {
    const index = i + (options.indexOffset ?? 0);
    try {
      if (input instanceof UnparseableRecord) throw new SignalError([input.reason]);
      const signal = parseSignal(withKind(input, options));
      // The signal's own fields become every event's: a bad time or region rejects the signal even when it changes nothing.
      const probe = validateEvent({
        id: "signal",
        type: "consent.granted",
        purpose: "signal",
        subject: signal.subject,
        occurred_at: signal.occurred_at,
        region: signal.region,
        channel: signal.channel,
        context: signal.context,
      });
      if (!probe.ok) throw new SignalError(probe.errors);
      parsed.push({ index, signal });
    } catch (e) {
      if (!(e instanceof SignalError)) throw e;
      rejected.push({ index, errors: e.issues });
    }
  });
  const decoded = await decodeSignals(
    parsed.map((p) => p.signal),
    mapping,
  );
  const read: ReadSignal[] = [];
  parsed.forEach(({ index, signal }, i) => {
    const desired = decoded[i] ?? [];
    if (desired instanceof SignalError) rejected.push({ index, errors: desired.issues });
    else read.push({ index, signal, desired });
  });
  return read;
}

function withKind(input: unknown, options: SignalBatchOptions): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const given = (input as { kind?: unknown }).kind;
  const kind =
    options.kind ??
    (options.gpcHeader && given === undefined && !isSegmentPayload(input) ? "gpc" : undefined);
  if (kind === undefined) return input;
  if (given !== undefined && given !== kind)
    throw new SignalError([
      `kind: expected ${kind} (the batch is of kind ${kind}), got ${JSON.stringify(given)}`,
    ]);
  // A GPC signal is the presence of the preference: `gpc` defaults to true.
  return kind === "gpc" ? { gpc: true, ...input, kind } : { ...input, kind };
}

function isSegmentPayload(input: object): boolean {
  const context = (input as { context?: unknown }).context;
  return typeof context === "object" && context !== null && "consent" in context;
}

/** The stored state at the signal's time, with the batch's earlier events for the subject on top (they arrive later). */
function currentState(
  stored: ReadonlyMap<string, LatestConsent> | undefined,
  earlier: readonly BatchChange[],
): Map<string, ConsentState> {
  const latest = new Map<string, LatestConsent>(stored);
  for (const e of earlier) {
    const before = latest.get(e.purpose);
    if (!before || e.at >= before.at) latest.set(e.purpose, { state: e.state, at: e.at });
  }
  return new Map([...latest].map(([purpose, l]) => [purpose, l.state]));
}

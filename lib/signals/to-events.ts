import "server-only";
import { createHash } from "node:crypto";
import type { DesiredConsent, Signal, SignalSource } from "./signal";

export type ConsentState = "granted" | "denied" | "withdrawn" | "never_asked";
export type ConsentEventType = "consent.granted" | "consent.denied" | "consent.withdrawn";

/** A SPEC section 3 consent event derived from a signal. */
export interface SignalEvent {
  id: string;
  type: ConsentEventType;
  subject: string;
  occurred_at: string;
  purpose: string;
  source: SignalSource;
  region?: string;
  channel?: string;
  context?: string;
}

/**
 * Only changes become events. A signal is a snapshot that senders repeat on every page view, so
 * restating the current state must add nothing.
 *
 * | desired   | current                        | event               |
 * |-----------|--------------------------------|---------------------|
 * | granted   | granted                        | none                |
 * | granted   | denied, withdrawn, never_asked | consent.granted     |
 * | denied    | granted                        | consent.withdrawn   | a yes taken back
 * | denied    | never_asked                    | consent.denied      |
 * | denied    | denied, withdrawn              | none                |
 * | withdrawn | granted                        | consent.withdrawn   |
 * | withdrawn | denied, withdrawn, never_asked | none                | no yes to take back; an opt-out is not an answer to an ask
 */
export function consentTransition(
  desired: DesiredConsent["state"],
  current: ConsentState,
): ConsentEventType | null {
  switch (desired) {
    case "granted":
      return current === "granted" ? null : "consent.granted";
    case "denied":
      if (current === "granted") return "consent.withdrawn";
      return current === "never_asked" ? "consent.denied" : null;
    case "withdrawn":
      return current === "granted" ? "consent.withdrawn" : null;
  }
}

/**
 * The consent events a decoded signal causes for a subject whose consent per purpose is `current`
 * (a purpose missing from it was never asked). Ids are derived from the fact itself, so a replayed
 * signal yields the same ids and ingestion absorbs it as a duplicate.
 */
export function signalToEvents(
  signal: Signal,
  desired: readonly DesiredConsent[],
  current: ReadonlyMap<string, ConsentState>,
): SignalEvent[] {
  const events = new Map<string, SignalEvent>();
  for (const d of desired) {
    const type = consentTransition(d.state, current.get(d.purpose) ?? "never_asked");
    if (type === null) continue;
    const id = signalEventId(signal.subject, signal.occurred_at, d.purpose, type, d.source);
    const event: SignalEvent = {
      id,
      type,
      subject: signal.subject,
      occurred_at: signal.occurred_at,
      purpose: d.purpose,
      source: d.source,
    };
    if (signal.region !== undefined) event.region = signal.region;
    if (signal.channel !== undefined) event.channel = signal.channel;
    if (signal.context !== undefined) event.context = signal.context;
    events.set(id, event);
  }
  return [...events.values()];
}

export function signalEventId(
  subject: string,
  occurredAt: string,
  purpose: string,
  type: ConsentEventType,
  source: SignalSource,
): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([subject, occurredAt, purpose, type, source]))
    .digest("hex");
  return `sig-${digest.slice(0, 32)}`;
}

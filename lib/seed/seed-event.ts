export type SeedEventType =
  | "consent.granted"
  | "consent.denied"
  | "consent.withdrawn"
  | "data.collected"
  | "data.used"
  | "data.deleted"
  | "value.delivered"
  | "customer.churned"
  | "trust.rated"
  | "dsar.requested"
  | "dsar.completed";

export type SeedValueKind = "discount" | "service" | "personalisation" | "content" | "money" | "other";

export interface SeedValue {
  kind: SeedValueKind;
  amount?: number;
  currency?: string;
}

export type SeedDsarRequest = "access" | "deletion" | "portability";

/** One event in the ingestion format of SPEC section 3; absent attributes are left out, never `undefined`. */
export interface SeedEvent {
  id: string;
  type: SeedEventType;
  subject?: string;
  occurred_at: string;
  purpose?: string;
  field?: string;
  source?: string;
  channel?: string;
  region?: string;
  context?: string;
  value?: SeedValue;
  score?: number;
  request?: SeedDsarRequest;
  campaign?: string;
  properties?: Record<string, unknown>;
}

export type SeedFact = Omit<SeedEvent, "id" | "occurred_at">;

/** An event before it gets its id and timestamp string: `at` is epoch milliseconds. */
export interface TimedFact {
  at: number;
  fact: SeedFact;
}

/** One consent event as the record lists it (SPEC section 3 fields). */
export interface ConsentRecordEvent {
  id: string;
  type: string;
  purpose: string;
  occurred_at: string;
  received_at: string;
  source: string | null;
  channel: string | null;
  region: string | null;
  context: string | null;
  campaign: string | null;
}

/** A purpose of the controller's and the subject's current consent to it. */
export interface ConsentRecordPurpose {
  purpose: string;
  name: string;
  description: string | null;
  legal_basis: string | null;
  value_promise: string | null;
  /** `declared`, or `undeclared` (first seen in an event, never described). */
  status: string;
  state: "granted" | "denied" | "withdrawn" | "never_asked";
  state_since: string | null;
  last_event_id: string | null;
}

/** A data.collected / data.used / data.deleted fact about one of the subject's fields. */
export interface DataFact {
  id: string;
  type: string;
  occurred_at: string;
  purpose: string | null;
  source: string | null;
  campaign: string | null;
}

export interface ConsentRecordField {
  field: string;
  name: string;
  sensitivity: string | null;
  /** The purposes the field serves, per the workspace configuration. */
  serves: string[];
  /** Whether the controller still holds the field: collected, and not deleted since. */
  held: boolean;
  last_collected_at: string | null;
  last_used_at: string | null;
  deleted_at: string | null;
  facts: DataFact[];
}

/** ISO/IEC TS 27560-style consent record of one subject (`GET /api/v1/subjects/<id>/consent-record`). */
export interface ConsentRecord {
  schema_version: string;
  conforms_to: string;
  /** Stable per (workspace, subject): a UUID v5. */
  record_id: string;
  generated_at: string;
  /** When the newest of the subject's events arrived. */
  updated_at: string | null;
  controller: { name: string; workspace: string };
  subject: {
    id: string;
    first_seen_at: string;
    last_seen_at: string;
    region: string | null;
    channel: string | null;
  };
  purposes: ConsentRecordPurpose[];
  /** Every consent event of the subject, in event order (occurred_at, then arrival). */
  events: ConsentRecordEvent[];
  data: ConsentRecordField[];
}

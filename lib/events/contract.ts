import { z } from "zod";

export const EVENT_TYPES = [
  "consent.granted",
  "consent.denied",
  "consent.withdrawn",
  "data.collected",
  "data.used",
  "data.deleted",
  "value.delivered",
  "customer.churned",
  "trust.rated",
  "dsar.requested",
  "dsar.completed",
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const VALUE_KINDS = ["discount", "service", "personalisation", "content", "money", "other"] as const;
export const DSAR_REQUESTS = ["access", "deletion", "portability"] as const;

export const MAX_PROPERTIES_BYTES = 4096;
const EARLIEST = Date.parse("2000-01-01T00:00:00Z");
const FUTURE_SLACK_MS = 24 * 3600 * 1000;

const ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;
export const KEY_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REGION_RE = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
const CURRENCY_RE = /^[A-Z]{3}$/;

/** A subject id that is a phone number in disguise: only digits and phone punctuation, 8–15 digits. */
export function looksLikePhone(s: string): boolean {
  if (!/^\+?[0-9 ().\-/]+$/.test(s)) return false;
  const digits = s.replace(/\D/g, "");
  return digits.length >= 8 && digits.length <= 15;
}

export function looksLikeEmail(s: string): boolean {
  return EMAIL_RE.test(s);
}

const keyString = z.string().regex(KEY_RE, "expected a key of lowercase letters, digits, '.', '_' or '-' (1-64 characters)");
const optionalText = (max: number) => z.string().min(1, "expected a non-empty string").max(max, `expected at most ${max} characters`);

const Value = z.strictObject({
  kind: z.enum(VALUE_KINDS, { error: `expected one of ${VALUE_KINDS.join(", ")}` }),
  amount: z.number({ error: "expected a number" }).min(0, "expected a number >= 0").finite().optional(),
  currency: z.string().regex(CURRENCY_RE, "expected an ISO 4217 currency code such as EUR").optional(),
});

/** Field-level shape of one event. Type-dependent rules are checked afterwards in `validateEvent`. */
const EventShape = z.strictObject({
  id: z.string({ error: "expected a string" }).regex(ID_RE, "expected 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'"),
  type: z.enum(EVENT_TYPES, { error: `expected one of ${EVENT_TYPES.join(", ")}` }),
  subject: z
    .string({ error: "expected a string" })
    .min(1, "expected 1-128 characters")
    .max(128, "expected 1-128 characters")
    .refine((s) => !looksLikeEmail(s), "looks like an e-mail address; send a pseudonymous id instead")
    .refine((s) => !looksLikePhone(s), "looks like a phone number; send a pseudonymous id instead")
    .optional(),
  occurred_at: z
    .string({ error: "expected an ISO-8601 timestamp with offset" })
    .regex(ISO_RE, { message: "expected an ISO-8601 timestamp with offset, e.g. 2026-01-31T12:00:00Z", abort: true })
    .refine(isRealDate, { message: "not a valid date", abort: true })
    .refine((s) => Date.parse(normaliseOffset(s)) >= EARLIEST, "must not be before 2000-01-01")
    .refine((s) => Date.parse(normaliseOffset(s)) <= Date.now() + FUTURE_SLACK_MS, "must not be more than 24 hours in the future"),
  purpose: keyString.optional(),
  field: keyString.optional(),
  source: optionalText(64).optional(),
  channel: optionalText(32).optional(),
  region: z.string().max(16, "expected at most 16 characters").regex(REGION_RE, "expected an ISO 3166 code such as DE or US-CA").optional(),
  context: optionalText(64).optional(),
  value: Value.optional(),
  score: z.number({ error: "expected an integer 0-10" }).int("expected an integer 0-10").min(0, "expected an integer 0-10").max(10, "expected an integer 0-10").optional(),
  request: z.enum(DSAR_REQUESTS, { error: `expected one of ${DSAR_REQUESTS.join(", ")}` }).optional(),
  campaign: z.string().regex(ID_RE, "expected 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'").optional(),
  properties: z
    .record(z.string(), z.unknown(), { error: "expected an object" })
    .refine((p) => JSON.stringify(p).length <= MAX_PROPERTIES_BYTES, `expected at most ${MAX_PROPERTIES_BYTES} bytes when serialized`)
    .optional(),
});
export type IncomingEvent = z.infer<typeof EventShape>;

/** An event that passed validation, ready to store. `occurred_at` is normalised to ISO-8601 UTC. */
export interface ValidEvent extends IncomingEvent {
  occurred_at: string;
}

export type Validation = { ok: true; event: ValidEvent } | { ok: false; id: string | null; errors: string[] };

/** Date.parse rolls 2026-02-31 over to March; a real calendar date and clock time are required. */
function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h < 24 && mi < 60 && se < 60 && !Number.isNaN(Date.parse(normaliseOffset(s)));
}

function normaliseOffset(s: string): string {
  return s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
}

const NEEDS_PURPOSE = new Set<EventType>(["consent.granted", "consent.denied", "consent.withdrawn", "value.delivered", "data.used"]);
const NEEDS_FIELD = new Set<EventType>(["data.collected", "data.used", "data.deleted"]);

function typeRules(e: IncomingEvent): string[] {
  const errors: string[] = [];
  if (!e.subject && e.type !== "data.used") errors.push(`subject: required for ${e.type}`);
  if (NEEDS_PURPOSE.has(e.type) && !e.purpose) errors.push(`purpose: required for ${e.type}`);
  if (NEEDS_FIELD.has(e.type) && !e.field) errors.push(`field: required for ${e.type}`);
  if (e.type === "value.delivered" && !e.value) errors.push("value: required for value.delivered, e.g. {\"kind\": \"discount\", \"amount\": 5}");
  if (e.type !== "value.delivered" && e.value) errors.push(`value: only allowed on value.delivered, not on ${e.type}`);
  if (e.type === "trust.rated" && e.score === undefined) errors.push("score: required for trust.rated (an integer 0-10)");
  if (e.type !== "trust.rated" && e.score !== undefined) errors.push(`score: only allowed on trust.rated, not on ${e.type}`);
  if (e.type.startsWith("dsar.") && !e.request) errors.push(`request: required for ${e.type} (access, deletion or portability)`);
  if (!e.type.startsWith("dsar.") && e.request) errors.push(`request: only allowed on dsar.* events, not on ${e.type}`);
  return errors;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => `${path ? `${path}.` : ""}${k}: unknown field (see the event schema in SPEC section 3)`);
  }
  if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) return [`${path}: required`];
  return [`${path || "event"}: ${issue.message}`];
}

/** A record that could not even be parsed (a line of a file that is not JSON): rejected with its reason. */
export class UnparseableRecord {
  constructor(readonly reason: string) {}
}

/** Validates one event on its own; the errors name the field and say what was expected. */
export function validateEvent(input: unknown): Validation {
  if (input instanceof UnparseableRecord) return { ok: false, id: null, errors: [input.reason] };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, id: null, errors: ["event: expected a JSON object"] };
  }
  const rawId = (input as { id?: unknown }).id;
  const id = typeof rawId === "string" ? rawId : null;
  const parsed = EventShape.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((i) => describeIssue(i, input));
    // Report the type's missing fields too, so one round trip shows every problem.
    const type = (input as { type?: unknown }).type;
    if (EventType.safeParse(type).success) {
      for (const e of typeRules(input as IncomingEvent)) if (!errors.some((x) => x.split(":")[0] === e.split(":")[0])) errors.push(e);
    }
    return { ok: false, id, errors };
  }
  const errors = typeRules(parsed.data);
  if (errors.length) return { ok: false, id, errors };
  // Stored at millisecond precision in UTC; finer ties are decided by arrival.
  const occurredAt = new Date(Date.parse(normaliseOffset(parsed.data.occurred_at))).toISOString();
  return { ok: true, event: { ...parsed.data, occurred_at: occurredAt } };
}

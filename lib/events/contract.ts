import { z } from "zod";
import { personalDataShape } from "./personal-data";
import { propertiesProblems } from "./properties";
import { quoted, unstorableText } from "./text";

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

export { MAX_PROPERTIES_BYTES } from "./properties";
export { looksLikeEmail, looksLikePhone } from "./personal-data";
/** An event with more problems than this lists the first ones and a count of the rest. */
export const MAX_ERRORS_PER_EVENT = 20;
const MAX_UNKNOWN_FIELDS_NAMED = 5;
const EARLIEST = Date.parse("2000-01-01T00:00:00Z");
const FUTURE_SLACK_MS = 24 * 3600 * 1000;

const ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;
export const KEY_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const REGION_RE = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
const CURRENCY_RE = /^[A-Z]{3}$/;

/** Free text that must be storable (no NUL, no lone surrogate). */
const storable = (schema: z.ZodString) =>
  schema.superRefine((s, ctx) => {
    const problem = unstorableText(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A subject: a pseudonymous id, never an e-mail address or phone number (lib/events/personal-data.ts says how they are recognised). */
export const SubjectId = storable(
  z
    .string({ error: "expected a string" })
    .min(1, "expected 1-128 characters")
    // abort: text over the limit is not read for personal data (a 5 MB subject costs one length check).
    .max(128, { message: "expected 1-128 characters", abort: true }),
).superRefine((s, ctx) => {
  const shape = personalDataShape(s);
  if (shape) ctx.addIssue({ code: "custom", message: `${shape}; send a pseudonymous id instead` });
});

const keyString = z
  .string()
  .regex(KEY_RE, "expected a key of lowercase letters, digits, '.', '_' or '-' (1-64 characters)");
const optionalText = (max: number) =>
  storable(z.string().min(1, "expected a non-empty string").max(max, `expected at most ${max} characters`));

/**
 * The most value one event may carry (any currency). The metrics sum amounts as doubles: far below the
 * point where a sum overflows to Infinity, far above any real discount or payment.
 */
export const MAX_VALUE_AMOUNT = 1e12;

const Value = z.strictObject({
  kind: z.enum(VALUE_KINDS, { error: `expected one of ${VALUE_KINDS.join(", ")}` }),
  amount: z
    .number({ error: "expected a number" })
    .min(0, "expected a number >= 0")
    .max(MAX_VALUE_AMOUNT, `expected at most ${MAX_VALUE_AMOUNT} (10^12) per event`)
    .optional(),
  currency: z.string().regex(CURRENCY_RE, "expected an ISO 4217 currency code such as EUR").optional(),
});

/**
 * Field-level shape of one event and its limits: ids and subjects 1-128 characters, free text 32-64,
 * `value.amount` 0 to MAX_VALUE_AMOUNT, `properties` as lib/events/properties.ts says (4 KB, 8 levels,
 * 64 keys). Type-dependent rules are checked afterwards in `validateEvent`.
 */
const EventShape = z.strictObject({
  id: z
    .string({ error: "expected a string" })
    .regex(ID_RE, "expected 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'"),
  type: z.enum(EVENT_TYPES, { error: `expected one of ${EVENT_TYPES.join(", ")}` }),
  subject: SubjectId.optional(),
  occurred_at: z
    .string({ error: "expected an ISO-8601 timestamp with offset" })
    .regex(ISO_RE, {
      message: "expected an ISO-8601 timestamp with offset, e.g. 2026-01-31T12:00:00Z",
      abort: true,
    })
    .refine(isRealDate, { message: "not a valid date", abort: true })
    .refine((s) => Date.parse(normaliseOffset(s)) >= EARLIEST, "must not be before 2000-01-01")
    .refine(
      (s) => Date.parse(normaliseOffset(s)) <= Date.now() + FUTURE_SLACK_MS,
      "must not be more than 24 hours in the future",
    ),
  purpose: keyString.optional(),
  field: keyString.optional(),
  source: optionalText(64).optional(),
  channel: optionalText(32).optional(),
  region: z
    .string()
    .max(16, "expected at most 16 characters")
    .regex(REGION_RE, "expected an ISO 3166 code such as DE or US-CA")
    .optional(),
  context: optionalText(64).optional(),
  value: Value.optional(),
  score: z
    .number({ error: "expected an integer 0-10" })
    .int("expected an integer 0-10")
    .min(0, "expected an integer 0-10")
    .max(10, "expected an integer 0-10")
    .optional(),
  request: z.enum(DSAR_REQUESTS, { error: `expected one of ${DSAR_REQUESTS.join(", ")}` }).optional(),
  campaign: z
    .string()
    .regex(ID_RE, "expected 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'")
    .optional(),
  // Checked after the shape (validateEvent), so that a hostile value is walked once, without recursion.
  properties: z.record(z.string(), z.unknown(), { error: "expected an object" }).optional(),
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
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth &&
    h < 24 &&
    mi < 60 &&
    se < 60 &&
    !Number.isNaN(Date.parse(normaliseOffset(s)))
  );
}

function normaliseOffset(s: string): string {
  return s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
}

const NEEDS_PURPOSE = new Set<EventType>([
  "consent.granted",
  "consent.denied",
  "consent.withdrawn",
  "value.delivered",
  "data.used",
]);
const NEEDS_FIELD = new Set<EventType>(["data.collected", "data.used", "data.deleted"]);

function typeRules(e: IncomingEvent): string[] {
  const errors: string[] = [];
  if (!e.subject && e.type !== "data.used") errors.push(`subject: required for ${e.type}`);
  if (NEEDS_PURPOSE.has(e.type) && !e.purpose) errors.push(`purpose: required for ${e.type}`);
  if (NEEDS_FIELD.has(e.type) && !e.field) errors.push(`field: required for ${e.type}`);
  if (e.type === "value.delivered" && !e.value)
    errors.push('value: required for value.delivered, e.g. {"kind": "discount", "amount": 5}');
  if (e.type !== "value.delivered" && e.value)
    errors.push(`value: only allowed on value.delivered, not on ${e.type}`);
  if (e.type === "trust.rated" && e.score === undefined)
    errors.push("score: required for trust.rated (an integer 0-10)");
  if (e.type !== "trust.rated" && e.score !== undefined)
    errors.push(`score: only allowed on trust.rated, not on ${e.type}`);
  if (e.type.startsWith("dsar.") && !e.request)
    errors.push(`request: required for ${e.type} (access, deletion or portability)`);
  if (!e.type.startsWith("dsar.") && e.request)
    errors.push(`request: only allowed on dsar.* events, not on ${e.type}`);
  return errors;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const path = issue.path.map((p) => quoted(String(p))).join(".");
  if (issue.code === "unrecognized_keys") {
    const prefix = path ? `${path}.` : "";
    const named = issue.keys
      .slice(0, MAX_UNKNOWN_FIELDS_NAMED)
      .map((k) => `${prefix}${quoted(k)}: unknown field (see the event schema in SPEC section 3)`);
    const more = issue.keys.length - named.length;
    return more > 0 ? [...named, `${prefix}…: ${more} more unknown field${more > 1 ? "s" : ""}`] : named;
  }
  if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) return [`${path}: required`];
  return [`${path || "event"}: ${issue.message}`];
}

/** At most MAX_ERRORS_PER_EVENT errors: the first ones and a count of the rest. */
function capped(errors: string[]): string[] {
  if (errors.length <= MAX_ERRORS_PER_EVENT) return errors;
  return [
    ...errors.slice(0, MAX_ERRORS_PER_EVENT - 1),
    `… and ${errors.length - MAX_ERRORS_PER_EVENT + 1} more errors`,
  ];
}

/**
 * The sender's id of a rejected event, kept in the rejection log and shown on the Events screen: only
 * a well-formed id that is not shaped like personal data (`alice@example.com` is not kept there).
 */
function reportableId(rawId: unknown): string | null {
  return typeof rawId === "string" && ID_RE.test(rawId) && personalDataShape(rawId) === null ? rawId : null;
}

/** A record that could not even be parsed (a line of a file that is not JSON): rejected with its reason. */
export class UnparseableRecord {
  constructor(readonly reason: string) {}
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates one event on its own; the errors name the field and say what was expected. */
export function validateEvent(input: unknown): Validation {
  if (input instanceof UnparseableRecord) return { ok: false, id: null, errors: [input.reason] };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, id: null, errors: ["event: expected a JSON object"] };
  }
  const id = reportableId((input as { id?: unknown }).id);
  const parsed = EventShape.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((i) => describeIssue(i, input));
    // Report the type's missing fields too, so one round trip shows every problem.
    const type = (input as { type?: unknown }).type;
    if (EventType.safeParse(type).success) {
      for (const e of typeRules(input as IncomingEvent))
        if (!errors.some((x) => x.split(":")[0] === e.split(":")[0])) errors.push(e);
    }
    const properties = (input as { properties?: unknown }).properties;
    if (isPlainObject(properties)) errors.push(...propertiesProblems(properties));
    return { ok: false, id, errors: capped(errors) };
  }
  const errors = [
    ...typeRules(parsed.data),
    ...(parsed.data.properties ? propertiesProblems(parsed.data.properties) : []),
  ];
  if (errors.length) return { ok: false, id, errors: capped(errors) };
  // Stored at millisecond precision in UTC; finer ties are decided by arrival.
  const occurredAt = new Date(Date.parse(normaliseOffset(parsed.data.occurred_at))).toISOString();
  return { ok: true, event: { ...parsed.data, occurred_at: occurredAt } };
}

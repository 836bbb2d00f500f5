import { z } from "zod";
import { MAX_ERRORS_PER_EVENT, SubjectId } from "../events/contract";
import { quoted } from "../events/text";
import { CONSENT_MODE_TYPES, type ConsentModeType } from "./mapping";
import { SignalError } from "./errors";

export const SIGNAL_SOURCES = ["tcf", "gpp", "gpc", "google_consent_mode", "segment"] as const;
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

/** What a signal says about one of the workspace's purposes. */
export interface DesiredConsent {
  purpose: string;
  state: "granted" | "denied" | "withdrawn";
  source: SignalSource;
}

export const SEGMENT_CONSENT_EVENT = "Segment Consent Preference Updated";

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const REGION_RE = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
/**
 * A TC string is a few hundred characters to a few KB; CMPs keep it in the euconsent-v2 cookie, which
 * browsers cap at 4 KB. Twice that leaves room for long vendor lists. A GPP string carries a TC string
 * and the US sections beside it.
 */
export const MAX_TC_STRING_CHARS = 8192;
export const MAX_GPP_STRING_CHARS = 12_288;

const Subject = SubjectId;

// Normalised to UTC so that the same instant written two ways yields the same event ids.
const Timestamp = z
  .string({ error: "expected an ISO-8601 timestamp with offset" })
  .regex(ISO_RE, "expected an ISO-8601 timestamp with offset, e.g. 2026-01-31T12:00:00Z")
  .transform((s, ctx) => {
    const ms = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    if (Number.isNaN(ms)) {
      ctx.issues.push({ code: "custom", message: "not a valid date", input: s });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

const text = (max: number) =>
  z.string().min(1, "expected a non-empty string").max(max, `expected at most ${max} characters`);
const Region = z.string().regex(REGION_RE, "expected an ISO 3166 code such as DE or US-CA");
const Encoded = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} as a string` })
    .trim()
    .min(1, `expected ${what}, got an empty string`)
    .max(max, `expected at most ${max} characters (${what} is a few hundred characters to a few KB)`);

const common = {
  subject: Subject,
  occurred_at: Timestamp,
  region: Region.optional(),
  channel: text(32).optional(),
  context: text(64).optional(),
};

const TcfSignal = z.strictObject({
  kind: z.literal("tcf"),
  ...common,
  tc_string: Encoded("a TCF v2 TC string", MAX_TC_STRING_CHARS),
});

const GppSignal = z.strictObject({
  kind: z.literal("gpp"),
  ...common,
  gpp_string: Encoded("a GPP string", MAX_GPP_STRING_CHARS),
});

const GpcSignal = z.strictObject({
  kind: z.literal("gpc"),
  ...common,
  gpc: z.boolean({ error: "expected true or false" }),
});

const ConsentModeState = z.enum(["granted", "denied"], { error: 'expected "granted" or "denied"' });
const ConsentModeSignal = z.strictObject({
  kind: z.literal("google_consent_mode"),
  ...common,
  consent: z
    .strictObject(
      Object.fromEntries(CONSENT_MODE_TYPES.map((type) => [type, ConsentModeState.optional()])) as Record<
        ConsentModeType,
        z.ZodOptional<typeof ConsentModeState>
      >,
    )
    .refine(
      (c) => Object.values(c).some((v) => v !== undefined),
      `expected at least one of ${CONSENT_MODE_TYPES.join(", ")}`,
    ),
});

/**
 * Segment's own consent payload (`userId`/`anonymousId`, `timestamp`, `context.consent.categoryPreferences`)
 * or the same with Trustledger's `subject`/`occurred_at`. Segment's other fields are allowed and ignored;
 * its `context` is Segment's, so a journey step cannot be carried on this kind.
 */
const SegmentSignal = z
  .looseObject({
    kind: z.literal("segment"),
    subject: Subject.optional(),
    userId: Subject.nullish(),
    anonymousId: Subject.nullish(),
    occurred_at: Timestamp.optional(),
    timestamp: Timestamp.optional(),
    region: Region.optional(),
    channel: text(32).optional(),
    event: z.literal(SEGMENT_CONSENT_EVENT, { error: `expected "${SEGMENT_CONSENT_EVENT}"` }).optional(),
    context: z.looseObject({
      consent: z.looseObject({
        categoryPreferences: z.record(z.string(), z.boolean({ error: "expected true or false" }), {
          error: "expected an object of category name to true/false",
        }),
      }),
    }),
  })
  .transform((s, ctx) => {
    const subject = s.subject ?? s.userId ?? s.anonymousId;
    const occurred_at = s.occurred_at ?? s.timestamp;
    if (subject === undefined || subject === null) {
      ctx.issues.push({
        code: "custom",
        path: ["subject"],
        message: "required (or Segment's userId or anonymousId)",
        input: s,
      });
    }
    if (occurred_at === undefined) {
      ctx.issues.push({
        code: "custom",
        path: ["occurred_at"],
        message: "required (or Segment's timestamp)",
        input: s,
      });
    }
    if (subject === undefined || subject === null || occurred_at === undefined) return z.NEVER;
    return {
      kind: s.kind,
      subject,
      occurred_at,
      region: s.region,
      channel: s.channel,
      context: undefined,
      category_preferences: s.context.consent.categoryPreferences,
    };
  });

const MAX_UNKNOWN_FIELDS_NAMED = 5;

const SIGNAL_KINDS = ["tcf", "gpp", "gpc", "google_consent_mode", "segment"] as const;

/** A consent signal a company already emits, as sent to Trustledger; `kind` says which. */
export const Signal = z.preprocess(
  inferSegmentKind,
  z.discriminatedUnion("kind", [TcfSignal, GppSignal, GpcSignal, ConsentModeSignal, SegmentSignal], {
    error: `expected one of ${SIGNAL_KINDS.join(", ")}`,
  }),
);
export type Signal = z.output<typeof Signal>;
export type SignalInput = z.input<typeof Signal>;

// A Segment event forwarded as-is has no `kind`; its consent context says what it is.
function inferSegmentKind(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input) || "kind" in input) return input;
  const context = (input as { context?: unknown }).context;
  const consent =
    typeof context === "object" && context !== null ? (context as { consent?: unknown }).consent : undefined;
  if (typeof consent === "object" && consent !== null && "categoryPreferences" in consent)
    return { ...input, kind: "segment" };
  return input;
}

/** Validates a signal; a bad one throws a SignalError whose issues name the field and what was expected. */
export function parseSignal(input: unknown): Signal {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new SignalError(["signal: expected a JSON object"]);
  // reportInput: without it zod leaves issue.input unset and every type error would read as "required".
  const parsed = Signal.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new SignalError(parsed.error.issues.slice(0, MAX_ERRORS_PER_EVENT).map(describeIssue));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => quoted(String(p))).join(".");
  if (issue.code === "unrecognized_keys") {
    const named = issue.keys.slice(0, MAX_UNKNOWN_FIELDS_NAMED).map((k) => quoted(k));
    const more = issue.keys.length > named.length ? ` and ${issue.keys.length - named.length} more` : "";
    return `${path ? path + ": " : ""}unknown field${issue.keys.length > 1 ? "s" : ""} ${named.join(", ")}${more}`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) return `${path}: required`;
  return `${path || "signal"}: ${issue.message}`;
}

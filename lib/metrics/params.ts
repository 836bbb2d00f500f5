import { z } from "zod";
import { badRequest } from "@/lib/errors";
import {
  BREAKDOWNS,
  CONSISTENCIES,
  GRANULARITIES,
  OVERALL_KPIS,
  type Breakdown,
  type Consistency,
  type Granularity,
  type OverallKpi,
} from "./types";
import { addMonths, bucketCount, startOfMonth, startOfDay, DAY_MS } from "./buckets";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Daily views of up to three years; more buckets than this is almost surely a wrong granularity. */
export const MAX_BUCKETS = 1100;

/** Date.parse rolls 2026-02-30 over into March: the calendar fields must exist as written. */
function realCalendarFields(v: string): boolean {
  const [y, mo, d, h = 0, mi = 0, sec = 0] = (v.match(/\d+/g) ?? []).map(Number);
  if (y === undefined || mo === undefined || d === undefined) return false;
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() &&
    h <= 23 &&
    mi <= 59 &&
    sec <= 59
  );
}

export const Instant = z.string().transform((v, ctx) => {
  const ms = !realCalendarFields(v)
    ? NaN
    : DATE_RE.test(v)
      ? Date.parse(`${v}T00:00:00Z`)
      : INSTANT_RE.test(v)
        ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"))
        : NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({
      code: "custom",
      message: `expected a date (2026-01-01) or an ISO-8601 instant with offset (2026-01-01T00:00:00Z), got '${v}'`,
    });
    return z.NEVER;
  }
  return new Date(ms);
});

const Text = z.string().max(64, "expected at most 64 characters");

/** The query of every metric (SPEC section 7): the same names in the URL and as CLI options. */
export const MetricParams = z.object({
  from: Instant.optional(),
  to: Instant.optional(),
  granularity: z.enum(GRANULARITIES, { error: `expected ${GRANULARITIES.join(", ")}` }).default("month"),
  purpose: Text.optional(),
  region: Text.optional(),
  channel: Text.optional(),
  /** opt-in only: keeps the consent events asked in this journey step. */
  context: Text.optional(),
  /** dormant-data: the instant of the inventory. */
  at: Instant.optional(),
  /** opt-in only. */
  breakdown: z.enum(BREAKDOWNS, { error: `expected ${BREAKDOWNS.join(", ")}` }).optional(),
  /**
   * trust-index only: the "not enough data" rule (lib/metrics/sufficiency.ts). Components measured on fewer
   * customers are left out, and a month with fewer than MIN_DATA_COMPONENTS components from events has no
   * index. 0 (the default) is SPEC section 4 exactly: only components without data are left out.
   */
  min_sample: z.coerce
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .min(0, "expected 0 or more")
    .max(1_000_000, "expected at most 1000000")
    .optional(),
  /** overall only: the one KPI to compute (every KPI without it). */
  kpi: z.enum(OVERALL_KPIS, { error: `expected ${OVERALL_KPIS.join(", ")}` }).optional(),
  /**
   * "applied" answers from the rollups as they are (`pending_events` says what they miss); "exact"
   * applies every queued event first. The default is the caller's (lib/metrics/freshness.ts).
   */
  consistency: z.enum(CONSISTENCIES, { error: `expected ${CONSISTENCIES.join(", ")}` }).optional(),
});
export type MetricParams = z.infer<typeof MetricParams>;

export interface ResolvedParams {
  from: Date;
  to: Date;
  granularity: Granularity;
  purpose?: string;
  region?: string;
  channel?: string;
  context?: string;
  breakdown?: Breakdown;
  /** trust-index: the smallest sample a component is shown on (0: every component with data). */
  minSample: number;
  at: Date;
  /** Whether `at` was given: first use counts up to `to` otherwise. */
  atGiven: boolean;
  /** overall: the one KPI asked for; undefined: all of them. */
  kpi?: OverallKpi;
  /** As asked in the query; undefined: the caller's default. */
  consistency?: Consistency;
}

/**
 * Validates a raw query and fills in the defaults. With neither `from` nor `to`, the period is the
 * last 12 full calendar months, ending at the start of the current UTC month (a month in progress
 * would read as a drop). `to` alone → `from` is 12 months earlier; `from` alone → `to` is the start
 * of the current month, or the start of tomorrow when `from` is in the current month. `at`
 * defaults to an explicit `to`, else to now.
 */
export function resolveParams(raw: Record<string, string | undefined>, now = new Date()): ResolvedParams {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = MetricParams.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`);
  }
  const p = parsed.data;
  const thisMonth = startOfMonth(now);
  const to =
    p.to ?? (p.from && p.from >= thisMonth ? new Date(startOfDay(now).getTime() + DAY_MS) : thisMonth);
  const from = p.from ?? addMonths(to, -12);
  if (from >= to)
    throw badRequest(`from: must be before to (from ${from.toISOString()}, to ${to.toISOString()})`);
  const n = bucketCount(from, to, p.granularity);
  if (n > MAX_BUCKETS)
    throw badRequest(
      `granularity: ${n} ${p.granularity} buckets is more than ${MAX_BUCKETS}; choose a coarser granularity or a shorter period`,
    );
  return {
    from,
    to,
    granularity: p.granularity,
    purpose: p.purpose,
    region: p.region,
    channel: p.channel,
    context: p.context,
    breakdown: p.breakdown,
    minSample: p.min_sample ?? 0,
    at: p.at ?? p.to ?? now,
    atGiven: p.at !== undefined,
    kpi: p.kpi,
    consistency: p.consistency,
  };
}

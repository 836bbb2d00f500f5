// Names of the rollup rows (metric_tally.measure), shared by the maintainers and the queries.

export const OPT_IN_MEASURES = { granted: "optin.granted", denied: "optin.denied" } as const;
/** Opt-in dims: '' for every ask, `c:<context>` for the asks in one context (`c:` for none). */
export const contextDim = (context: string | null | undefined): string => `c:${context ?? ""}`;
export const CONTEXT_DIM_PREFIX = "c:";

export const WITHDRAWAL_MEASURES = { consenting: "consenting", withdrawn: "withdrawn" } as const;
/** Withdrawn and consenting subjects, dim = the source of their first withdrawal in the range. */
export const WITHDRAWN_BY_SOURCE = "withdrawn.source";
/** The source of a withdrawal without one. */
export const UNKNOWN_SOURCE = "unknown";
export const RECIPROCITY_MEASURES = {
  used: "used",
  usedAndValued: "used_valued",
  consenting: "consenting",
  valuedConsenting: "valued_consenting",
} as const;
/**
 * Attributed rows only (the unfiltered sums are `metric_value_daily`'s): a subject's `value.amount`
 * per purpose and bucket, key = purpose, dim = `group:currency` (state/amounts.ts), x = y = the bucket.
 */
export const VALUE_AMOUNT_MEASURE = "value.amount";

/**
 * Churn, per subject: `active` rows are +1 from the first bucket it is active in (after its first
 * event's) and −1 from the bucket after its churn, so active at a = Σ over x <= a. A subject who
 * churns also has one `churned` row: y = its first event's bucket, x = its churn bucket.
 */
export const CHURN_MEASURES = { active: "churn.active", churned: "churn" } as const;
/** The same per purpose and consent state at the start of a bucket; `churned` rows add z = the churn bucket. */
export const COHORT_MEASURES = {
  granted: { active: "cohort.granted.active", churned: "cohort.granted" },
  not_granted: { active: "cohort.not_granted.active", churned: "cohort.not_granted" },
} as const;

/** Fair exchange: consenting (C) and withdrawn (C and W) subjects who got a kind of value (dim = the kind, or `none`). */
export const FAIR_EXCHANGE_MEASURES = { consenting: "fx.consenting", withdrawn: "fx.withdrawn" } as const;
export const NO_VALUE = "none";

/**
 * Data subject requests, key = request type, one set of rows per request or unmatched completion:
 * opened, completed (dim = the days it took, in ms), unmatched, due and on time at their buckets;
 * open and overdue at the end of a range as rows with x = +∞ that begin and end with y.
 */
export const DSAR_MEASURES = {
  opened: "dsar.opened",
  completed: "dsar.completed",
  unmatched: "dsar.unmatched",
  due: "dsar.due",
  onTime: "dsar.on_time",
  open: "dsar.open",
  overdue: "dsar.overdue",
} as const;

/** Control effect: active subjects who used a control (a consent event from a control source) before the bucket; churned rows add z = the churn bucket. */
export const CONTROL_MEASURES = { active: "control.active", churned: "control" } as const;

/** dim = the score of the subject's latest rating. */
export const TRUST_MEASURE = "trust";

/**
 * The measures counted as "subjects with … in the range" (Σ n over a <= x, y <= b). At the day
 * grain their rows are also kept projected onto months in x, y or both, so that any range of days
 * is read from four small blocks (rollup/day-ranges.ts).
 */
export const RANGE_MEASURES: readonly string[] = [
  OPT_IN_MEASURES.granted,
  OPT_IN_MEASURES.denied,
  WITHDRAWAL_MEASURES.consenting,
  WITHDRAWAL_MEASURES.withdrawn,
  WITHDRAWN_BY_SOURCE,
  RECIPROCITY_MEASURES.used,
  RECIPROCITY_MEASURES.usedAndValued,
  RECIPROCITY_MEASURES.valuedConsenting,
  VALUE_AMOUNT_MEASURE,
  TRUST_MEASURE,
  FAIR_EXCHANGE_MEASURES.consenting,
  FAIR_EXCHANGE_MEASURES.withdrawn,
  ...Object.values(DSAR_MEASURES),
];
export const DAY_PROJECTIONS = { xDayYMonth: "day:dm", xMonthYDay: "day:md", months: "day:mm" } as const;

/** Day grain only, key = field: ±1 where a holding (or a dormant one) begins and ends. */
export const HOLDING_MEASURE = "holding";
export const DORMANT_MEASURE = "dormant";
/** Day grain only, key = field, x = the first day boundary at or after a bulk `data.used`. */
export const BULK_USE_MEASURE = "bulk_use";
/**
 * Attributed rows only, day grain, key = field: x = the first day boundary at or after a subject's
 * `data.used` (one row per subject and boundary), so the latest use by the filtered subjects at a
 * boundary d is in the day before the largest x <= d whose rows sum above 0.
 */
export const SUBJECT_USE_MEASURE = "subject_use";

/**
 * Day grain only, key = purpose, dim = `type|source` (suppressionDim): ±1 where a subject's latest consent event
 * for the purpose is a denial or a withdrawal (from that source) and where the next consent event ends it, at the
 * first day boundary at or after each; the purpose's suppression list at a boundary d sums the rows with x <= d.
 * Unfiltered only: the lists' counts take no region or channel.
 */
export const SUPPRESSED_MEASURE = "suppressed";
export const suppressionDim = (type: string, source: string | null): string =>
  `${type}|${source ?? UNKNOWN_SOURCE}`;
/** The type and source of a `suppressionDim` (a source may hold "|", a type never does). */
export function suppressionOfDim(dim: string): { type: string; source: string } {
  const cut = dim.indexOf("|");
  return { type: dim.slice(0, cut), source: dim.slice(cut + 1) };
}

// Names of the rollup rows (metric_tally.measure), shared by the maintainers and the queries.

export const OPT_IN_MEASURES = { granted: "optin.granted", denied: "optin.denied" } as const;
/** Opt-in dims: '' for every ask, `c:<context>` for the asks in one context (`c:` for none). */
export const contextDim = (context: string | null | undefined): string => `c:${context ?? ""}`;
export const CONTEXT_DIM_PREFIX = "c:";

export const WITHDRAWAL_MEASURES = { consenting: "consenting", withdrawn: "withdrawn" } as const;
export const RECIPROCITY_MEASURES = { used: "used", usedAndValued: "used_valued", consenting: "consenting", valuedConsenting: "valued_consenting" } as const;

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
  RECIPROCITY_MEASURES.used,
  RECIPROCITY_MEASURES.usedAndValued,
  RECIPROCITY_MEASURES.valuedConsenting,
  TRUST_MEASURE,
];
export const DAY_PROJECTIONS = { xDayYMonth: "day:dm", xMonthYDay: "day:md", months: "day:mm" } as const;

/** Day grain only, key = field: ±1 where a holding (or a dormant one) begins and ends. */
export const HOLDING_MEASURE = "holding";
export const DORMANT_MEASURE = "dormant";
/** Day grain only, key = field, x = the first day boundary at or after a bulk `data.used`. */
export const BULK_USE_MEASURE = "bulk_use";

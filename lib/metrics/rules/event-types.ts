/**
 * The event types SPEC section 4's definitions are written in, named once for the metrics (SQL and rollup rows),
 * campaigns and insights.
 */
export const CHURN_EVENT = "customer.churned";
/** The events that set a consent state (the latest one is the state). */
export const CONSENT_EVENTS = ["consent.granted", "consent.denied", "consent.withdrawn"] as const;
/** The consent events that put a subject on a purpose's suppression list (SPEC 4): the latest one says no. */
export const LISTED_EVENTS = ["consent.denied", "consent.withdrawn"] as const;
/** The answers to a consent ask (opt-in). */
export const ANSWER_EVENTS = ["consent.granted", "consent.denied"] as const;
/** Taking a consent back (withdrawals, churn after withdrawal). */
export const WITHDRAWN_EVENT = "consent.withdrawn";
/** A use of a field's data (reciprocity, dormancy, first use, the data inventory). */
export const USED_EVENT = "data.used";

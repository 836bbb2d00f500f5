// Response shapes of the metrics API and CLI (SPEC section 7), declared once for server and client.
import type { TrustComponent } from "@/lib/settings/weights";

export const METRIC_NAMES = [
  "opt-in",
  "withdrawals",
  "reciprocity",
  "dormant-data",
  "churn",
  "trust-score",
  "trust-index",
  "dsar",
  "control-effect",
  "first-use",
  "fair-exchange",
  "overall",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const BREAKDOWNS = ["channel", "region", "context"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** How a read treats events committed but not yet in the rollups (lib/metrics/freshness.ts). */
export const CONSISTENCIES = ["applied", "exact"] as const;
export type Consistency = (typeof CONSISTENCIES)[number];

/** What every metric answer of the API, CLI and screens says about the events it counts. */
export interface Freshness {
  /**
   * Every event committed before this instant is counted. With nothing pending it is the instant
   * of the read; otherwise the time the oldest pending event was stored (its batch's start).
   */
  as_of: string;
  /** Events committed but not yet in the rollups when the read began: not counted (0 for an exact read). */
  pending_events: number;
  consistency: Consistency;
}

/** A rate or ratio: null when its denominator is 0. */
export type Rate = number | null;

type Series<T> = T & { series: (T & { period: string })[] };

interface PeriodResponse<M extends MetricName> {
  metric: M;
  from: string;
  to: string;
  granularity: Granularity;
}

export interface OptInCounts {
  answered: number;
  granted: number;
  opt_in_rate: Rate;
}

/** One value of the breakdown dimension; `value` null gathers the subjects or asks without one. */
export type OptInBreakdownEntry = OptInCounts & { value: string | null };

export type OptInPurpose = Series<OptInCounts> & { purpose: string; breakdown?: OptInBreakdownEntry[] };

export interface OptInResponse extends PeriodResponse<"opt-in"> {
  breakdown?: Breakdown;
  purposes: OptInPurpose[];
}

export interface WithdrawalCounts {
  consenting: number;
  withdrawn: number;
  withdrawal_rate: Rate;
}

/** Withdrawn subjects by the source of their first withdrawal in the period ("unknown" without one); only sources that occur. */
export type SourceCounts = Record<string, number>;

export type WithdrawalEntry = WithdrawalCounts & { by_source: SourceCounts };

export interface WithdrawalsResponse extends PeriodResponse<"withdrawals"> {
  purposes: (Series<WithdrawalEntry> & { purpose: string })[];
  /** by_source added up over the purposes, for the whole period. */
  sources: SourceCounts;
}

export interface ReciprocityCounts {
  used: number;
  used_and_valued: number;
  reciprocity: Rate;
  consenting: number;
  valued_consenting: number;
  value_coverage: Rate;
  /** Amounts in the workspace currency or without a currency. */
  value_total: number;
  /** Amounts in other currencies, by currency code. */
  value_other: Record<string, number>;
}

export interface ReciprocityResponse extends PeriodResponse<"reciprocity"> {
  purposes: (Series<ReciprocityCounts> & { purpose: string })[];
}

export interface DormantField {
  field: string;
  holdings: number;
  dormant: number;
  dormant_share: Rate;
  last_used_at: string | null;
}

export interface DormantDataResponse {
  metric: "dormant-data";
  at: string;
  fields: DormantField[];
}

export interface ChurnCounts {
  active: number;
  churned: number;
  churn_rate: Rate;
}

export type ConsentCohort = "granted" | "not_granted" | "never_asked";

export interface ChurnResponse extends PeriodResponse<"churn"> {
  overall: Series<ChurnCounts>;
  cohorts: Record<string, Record<ConsentCohort, ChurnCounts>>;
}

export interface TrustScoreCounts {
  responses: number;
  mean: number | null;
  /** %(score ≥ 9) − %(score ≤ 6), from −100 to 100. */
  trust_score: number | null;
}

export type TrustScoreResponse = PeriodResponse<"trust-score"> & Series<TrustScoreCounts>;

export type { TrustComponent };

export interface TrustIndexMonth {
  period: string;
  /** 0–100, or null ("not enough data") when fewer than MIN_DATA_COMPONENTS components are measured from events. */
  index: number | null;
  /** Each component in [0, 1]; null for a component left out for lack of data (none, or fewer than MIN_SAMPLE). */
  components: Record<TrustComponent, number | null>;
  left_out: TrustComponent[];
  /** The components left out because they had some data, but fewer than MIN_SAMPLE customers (responses, holdings). */
  not_enough_data: TrustComponent[];
  /** What each component was measured on: customers asked, consenting, used; holdings; responses; catalog entries. */
  samples: Record<TrustComponent, number>;
  /** The weights applied this month: the workspace's, renormalised over the components present. */
  weights: Partial<Record<TrustComponent, number>>;
}

export interface TrustIndexResponse {
  metric: "trust-index";
  from: string;
  to: string;
  /** The workspace's weights before renormalisation. */
  weights: Record<TrustComponent, number>;
  series: TrustIndexMonth[];
}

export const DSAR_REQUESTS = ["access", "deletion", "portability"] as const;
export type DsarRequest = (typeof DSAR_REQUESTS)[number];

export interface DsarCounts {
  opened: number;
  completed: number;
  unmatched: number;
  median_days: number | null;
  due: number;
  on_time: number;
  on_time_rate: Rate;
  open_at_end: number;
  overdue_at_end: number;
}

export interface DsarResponse extends PeriodResponse<"dsar"> {
  requests: Record<DsarRequest | "total", Series<DsarCounts>>;
}

export interface ControlEffectResponse {
  metric: "control-effect";
  from: string;
  to: string;
  control_sources: string[];
  used_control: ChurnCounts;
  no_control: ChurnCounts;
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
  relative_reduction: number | null;
}

export interface FirstUseCounts {
  collected: number;
  used_within_window: number;
  never_used: number;
}

export type FirstUseField = FirstUseCounts & {
  field: string;
  median_days_to_first_use: number | null;
  by_context: Record<string, FirstUseCounts>;
};

export interface FirstUseResponse {
  metric: "first-use";
  from: string;
  to: string;
  at: string;
  fields: FirstUseField[];
}

export const VALUE_KINDS = ["discount", "service", "personalisation", "content", "money", "other"] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export interface FairExchangeResponse {
  metric: "fair-exchange";
  from: string;
  to: string;
  purposes: { purpose: string; kinds: Record<ValueKind | "none", WithdrawalCounts> }[];
}

export interface MetricResponses {
  "opt-in": OptInResponse;
  withdrawals: WithdrawalsResponse;
  reciprocity: ReciprocityResponse;
  "dormant-data": DormantDataResponse;
  churn: ChurnResponse;
  "trust-score": TrustScoreResponse;
  "trust-index": TrustIndexResponse;
  dsar: DsarResponse;
  "control-effect": ControlEffectResponse;
  "first-use": FirstUseResponse;
  "fair-exchange": FairExchangeResponse;
  overall: OverallResponse;
}

export type MetricResponse = MetricResponses[MetricName];
/** A metric answer as the API, CLI and screens give it. */
export type MetricReading<M extends MetricName = MetricName> = MetricResponses[M] & Freshness;

/** The Overview's KPIs that are rates (SPEC 7: the `overall` metric). */
export const OVERALL_KPIS = [
  "opt_in_rate",
  "withdrawal_rate",
  "reciprocity",
  "dormant_share",
  "churn_rate",
] as const;
export type OverallKpi = (typeof OVERALL_KPIS)[number];

/** A rate over all purposes (or fields, or customers) with the counts it is made of. */
export interface OverallRate {
  numerator: number;
  denominator: number;
  value: Rate;
}

export interface OverallResponse {
  metric: "overall";
  from: string;
  to: string;
  /** The period compared with: the same length, ending at `from`. */
  previous: { from: string; to: string };
  /** Every KPI, or only the one the query's `kpi` names. */
  kpis: Partial<Record<OverallKpi, OverallRate & { previous: OverallRate }>>;
}

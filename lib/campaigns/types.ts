/** Response shapes of the campaign API, shared by the server and the screens (which import only these types). */

export const CAMPAIGN_ACTIONS = ["delete", "release", "ask"] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export const CAMPAIGN_STATUSES = [
  "draft",
  "pending_approval",
  "approved",
  "launched",
  "completed",
  "cancelled",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const RESULT_HORIZONS = [30, 60, 90] as const;
export type ResultHorizon = (typeof RESULT_HORIZONS)[number];

export interface AudienceCount {
  field: string;
  at: string;
  /** Holdings of the field (after the filters) at `at`, and how many of them are dormant: the audience. */
  holdings: number;
  audience: number;
  /** The same counts at `compare_at` when it was asked (the Data inventory's instant), else null. */
  compared: { at: string; holdings: number; audience: number } | null;
}

export interface MessagePreview {
  template: string;
  message: string;
}

export interface CampaignSummary {
  id: string;
  name: string;
  field: string;
  field_name: string;
  purpose: string | null;
  region: string | null;
  channel: string | null;
  action: CampaignAction;
  holdout_percent: number;
  status: CampaignStatus;
  created_by: string;
  created_at: string;
  launched_at: string | null;
  /** Before launch: the audience when the draft was last saved; from launch on: the frozen audience. */
  audience: number | null;
  holdout: number | null;
  contacted: number | null;
  confirmed: number;
  pending: number;
}

export interface DeliveryState {
  webhook: boolean;
  batches: number;
  delivered: number;
  pending: number;
  failed: number;
  /** Contacted recipients whose batch could not be delivered. */
  recipients_failed: number;
}

export interface DeliveryAttempt {
  batch: number;
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  /** The size of the receiver's answer (its body is not kept). */
  response_bytes: number | null;
  error: string | null;
  duration_ms: number;
  at: string;
}

export interface CampaignPermissions {
  edit: boolean;
  submit: boolean;
  approve: boolean;
  /** Why an approver who may approve in general may not approve this one (four eyes). */
  approve_blocked: string | null;
  launch: boolean;
  cancel: boolean;
  /** A draft or a cancelled campaign: it never launched, so it can leave the list (the audit log keeps it). */
  delete: boolean;
  handoff: boolean;
  retry_delivery: boolean;
}

export interface CampaignDetail extends CampaignSummary {
  message: string;
  message_text: string;
  submitted_by: string | null;
  submitted_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_comment: string | null;
  launched_by: string | null;
  completed_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  outcomes: { deleted: number; released: number; kept: number };
  delivery: DeliveryState;
  delivery_log: DeliveryAttempt[];
  can: CampaignPermissions;
}

export interface GroupProportion {
  n: number;
  x: number;
  rate: number | null;
}

/** Recipients minus holdout, with a 95% confidence interval (null when a group is empty). */
export interface ProportionComparison {
  recipients: GroupProportion;
  holdout: GroupProportion;
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface TrustGroup {
  responses: number;
  promoters: number;
  detractors: number;
  trust_score: number | null;
}

/** Trust score in points (−100..100), recipients minus holdout, with a 95% confidence interval. */
export interface TrustComparison {
  recipients: TrustGroup;
  holdout: TrustGroup;
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface HorizonResult {
  days: ResultHorizon;
  /** The window is `[launched_at, until)`. */
  until: string;
  /** False until the window has passed: its numbers are then null. */
  available: boolean;
  churn: ProportionComparison | null;
  opt_in: ProportionComparison | null;
  trust_score: TrustComparison | null;
  removed: { recipients: number; holdout: number } | null;
}

export interface CampaignResults {
  campaign: string;
  launched_at: string | null;
  recipients: number;
  holdout: number;
  other_purposes: string[];
  horizons: HorizonResult[];
}

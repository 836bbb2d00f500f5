import { MIN_SAMPLE } from "@/lib/metrics/sufficiency";

export type KpiId =
  | "trust-index"
  | "opt-in-rate"
  | "withdrawal-rate"
  | "reciprocity"
  | "dormant-share"
  | "churn-rate"
  | "trust-score";

/** Each KPI's definition in one sentence: under its tile, and as a footnote of the Overview's snapshot. /definitions has the full text. */
export const KPI_SUMMARIES: Record<KpiId, string> = {
  "trust-index":
    "Weighted mean (0–100) of consent, retention of consent, reciprocity, data minimisation, transparency, accountability (data requests answered on time) and the trust survey; a component with too little data is left out and the weights renormalised.",
  "opt-in-rate":
    "Of the customers asked for a purpose in the period, the share whose last answer was yes; all purposes summed.",
  "withdrawal-rate":
    "Of the customers who held a consent during the period, the share who withdrew it in the period; all purposes summed.",
  reciprocity:
    "Of the customers whose data was used for a purpose in the period, the share who also received value for that purpose.",
  "dormant-share":
    "Of the holdings at the end of the period, the share collected at least the field's dormancy window ago and not used since.",
  "churn-rate": "Of the customers active at the start of the period, the share who churned in it.",
  "trust-score":
    "% of survey answers 9–10 minus % of answers 0–6 (each customer's latest answer), from −100 to 100.",
};

export const NOT_ENOUGH_SUMMARY = `A value measured on fewer than ${MIN_SAMPLE} customers (responses, holdings) is shown as “not enough data”.`;

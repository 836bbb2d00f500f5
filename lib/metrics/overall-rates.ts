import type {
  DormantDataResponse,
  OptInResponse,
  OverallKpi,
  OverallRate,
  OverallResponse,
  ReciprocityResponse,
  WithdrawalsResponse,
} from "./types";

import { rate } from "./plan";

// No database here: the screens read these definitions too (lib/metrics/overall.ts computes the `overall` metric).
const sum = <T>(items: T[], pick: (item: T) => number) =>
  items.reduce((total, item) => total + pick(item), 0);
export const overallRate = (numerator: number, denominator: number): OverallRate => ({
  numerator,
  denominator,
  value: rate(numerator, denominator),
});

/** A KPI of an `overall` answer, which holds every KPI or only the one its query's `kpi` named. */
export function kpiOf(answer: OverallResponse, kpi: OverallKpi): OverallRate & { previous: OverallRate } {
  const found = answer.kpis[kpi];
  if (!found) throw new Error(`this overall answer has no ${kpi}: its query asked for another kpi`);
  return found;
}

/**
 * The Overview's rates over all purposes (or fields): numerators and denominators summed first, as the Trust Index
 * does (SPEC 4), never an average of the per-purpose rates.
 */
export const overallOptIn = (r: OptInResponse) =>
  overallRate(
    sum(r.purposes, (p) => p.granted),
    sum(r.purposes, (p) => p.answered),
  );
export const overallWithdrawal = (r: WithdrawalsResponse) =>
  overallRate(
    sum(r.purposes, (p) => p.withdrawn),
    sum(r.purposes, (p) => p.consenting),
  );
export const overallReciprocity = (r: ReciprocityResponse) =>
  overallRate(
    sum(r.purposes, (p) => p.used_and_valued),
    sum(r.purposes, (p) => p.used),
  );
export const overallDormantShare = (r: DormantDataResponse) =>
  overallRate(
    sum(r.fields, (f) => f.dormant),
    sum(r.fields, (f) => f.holdings),
  );

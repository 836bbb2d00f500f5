import type {
  DormantDataResponse,
  OptInResponse,
  ReciprocityResponse,
  WithdrawalsResponse,
} from "@/lib/metrics/types";

/** Rates over all purposes (or fields): numerators and denominators summed first, as the Trust Index does. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

const sum = <T>(items: T[], pick: (item: T) => number) =>
  items.reduce((total, item) => total + pick(item), 0);

export const overallOptInRate = (r: OptInResponse) =>
  ratio(
    sum(r.purposes, (p) => p.granted),
    sum(r.purposes, (p) => p.answered),
  );
export const overallWithdrawalRate = (r: WithdrawalsResponse) =>
  ratio(
    sum(r.purposes, (p) => p.withdrawn),
    sum(r.purposes, (p) => p.consenting),
  );
export const overallReciprocity = (r: ReciprocityResponse) =>
  ratio(
    sum(r.purposes, (p) => p.used_and_valued),
    sum(r.purposes, (p) => p.used),
  );
export const overallDormantShare = (r: DormantDataResponse) =>
  ratio(
    sum(r.fields, (f) => f.dormant),
    sum(r.fields, (f) => f.holdings),
  );

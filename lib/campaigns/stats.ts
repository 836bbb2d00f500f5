import type { GroupProportion, ProportionComparison, TrustComparison, TrustGroup } from "./types";

/** The two-sided 95% quantile of the standard normal distribution. */
export const Z95 = 1.959963984540054;

export function proportion(x: number, n: number): GroupProportion {
  return { n, x, rate: n > 0 ? x / n : null };
}

/**
 * Recipients minus holdout with the two-proportion (Wald, unpooled) interval:
 * d = p₁ − p₂, se = √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂), d ± 1.96·se. Null when either group is empty.
 */
export function compareProportions(
  recipients: GroupProportion,
  holdout: GroupProportion,
): ProportionComparison {
  const p1 = recipients.rate;
  const p2 = holdout.rate;
  if (p1 === null || p2 === null)
    return { recipients, holdout, difference: null, ci_low: null, ci_high: null };
  const difference = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / recipients.n + (p2 * (1 - p2)) / holdout.n);
  return { recipients, holdout, difference, ci_low: difference - Z95 * se, ci_high: difference + Z95 * se };
}

export function trustGroup(promoters: number, detractors: number, responses: number): TrustGroup {
  return {
    responses,
    promoters,
    detractors,
    trust_score: responses > 0 ? ((promoters - detractors) / responses) * 100 : null,
  };
}

/**
 * Trust score (share of promoters, score ≥ 9, minus share of detractors, score ≤ 6) is the mean of a variable that is
 * +1, 0 or −1 per respondent, so its variance is (p₊ + p₋ − (p₊ − p₋)²)/n. The difference of the two independent
 * groups has se = √(v₁ + v₂), and the interval is d ± 1.96·se, all in points (×100).
 */
export function compareTrust(recipients: TrustGroup, holdout: TrustGroup): TrustComparison {
  const variance = (g: TrustGroup) => {
    const plus = g.promoters / g.responses;
    const minus = g.detractors / g.responses;
    return (plus + minus - (plus - minus) ** 2) / g.responses;
  };
  if (recipients.trust_score === null || holdout.trust_score === null)
    return { recipients, holdout, difference: null, ci_low: null, ci_high: null };
  const difference = recipients.trust_score - holdout.trust_score;
  const se = Math.sqrt(variance(recipients) + variance(holdout)) * 100;
  return { recipients, holdout, difference, ci_low: difference - Z95 * se, ci_high: difference + Z95 * se };
}

import { enoughData, MIN_DATA_COMPONENTS, MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import type {
  OverallRate,
  TrustIndexMonth,
  TrustIndexResponse,
  TrustScoreResponse,
} from "@/lib/metrics/types";
import { formatCount, formatPoints, type Formats } from "./format";
import { COMPONENT_LABELS, COMPONENTS } from "./trust-components";

/**
 * One KPI as it was made: its value, what it was measured on, and the counts in a sentence ("1,441 of 7,247
 * customers asked said yes"). A value measured on fewer than MIN_SAMPLE is not shown (`enough` false).
 */
export interface KpiReading {
  value: number | null;
  /** What the value was measured on (customers, consents, holdings, responses; components for the Trust Index). */
  base: number;
  /** How much `base` must be for the value to be shown. */
  needed: number;
  enough: boolean;
  /** The counts behind the value, in words. */
  counts: (f: Formats) => string;
}

function reading(r: OverallRate, counts: (f: Formats, n: string, d: string) => string): KpiReading {
  return {
    value: r.value,
    base: r.denominator,
    needed: MIN_SAMPLE,
    enough: enoughData(r.denominator),
    counts: (f) => counts(f, formatCount(f, r.numerator), formatCount(f, r.denominator)),
  };
}

/** The Overview's rates come from the `overall` metric (lib/metrics/overall.ts), with their counts. */
export const optInReading = (r: OverallRate) =>
  reading(
    r,
    (_, n, d) => `${n} of ${d} answers to a consent ask were yes (each customer's last answer per purpose).`,
  );
export const withdrawalReading = (r: OverallRate) =>
  reading(r, (_, n, d) => `${n} of ${d} consents held during the period were withdrawn.`);
export const reciprocityReading = (r: OverallRate) =>
  reading(r, (_, n, d) => `${n} of ${d} customers whose data was used for a purpose also got value for it.`);
export const dormantReading = (r: OverallRate) =>
  reading(
    r,
    (_, n, d) =>
      `${n} of ${d} holdings (a customer's value of a field) are dormant at the end of the period.`,
  );
export const churnReading = (r: OverallRate) =>
  reading(r, (_, n, d) => `${n} of ${d} customers active at the start of the period churned in it.`);
export const trustScoreReading = (r: TrustScoreResponse): KpiReading => ({
  value: r.trust_score,
  base: r.responses,
  needed: MIN_SAMPLE,
  enough: enoughData(r.responses),
  counts: (f) =>
    `${formatCount(f, r.responses)} customers answered the trust survey (mean ${r.mean === null ? "—" : r.mean.toFixed(1)} of 10); the score is % answering 9–10 minus % answering 0–6, from −100 to 100.`,
});

/** The Trust Index of the period's last month (the month the period ends in), and the month before it. */
export function trustIndexMonths(r: TrustIndexResponse): {
  last: TrustIndexMonth | undefined;
  prior: TrustIndexMonth | undefined;
} {
  return { last: r.series.at(-1), prior: r.series.at(-2) };
}

/**
 * Why two months' Trust Indexes cannot be compared, or null when they can: an index is a weighted mean over the
 * components present, so when a component is in one month and not the other, the difference is the change of mix
 * as much as of trust (a weak component left out for lack of data lifts the index).
 */
export function trustIndexIncomparable(
  last: TrustIndexMonth | undefined,
  prior: TrustIndexMonth | undefined,
  lastLabel: string,
  priorLabel: string,
): string | null {
  if (!last || !prior || last.index === null || prior.index === null) return null;
  const onlyIn = (a: TrustIndexMonth, b: TrustIndexMonth) =>
    COMPONENTS.filter((c) => a.components[c] !== null && b.components[c] === null).map(
      (c) => COMPONENT_LABELS[c],
    );
  const gained = onlyIn(last, prior);
  const lost = onlyIn(prior, last);
  if (!gained.length && !lost.length) return null;
  return [
    `not the same components`,
    lost.length ? `${lost.join(", ")} measured in ${priorLabel} but not in ${lastLabel}` : "",
    gained.length ? `${gained.join(", ")} measured in ${lastLabel} but not in ${priorLabel}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function trustIndexReading(month: TrustIndexMonth | undefined): KpiReading {
  const measured = month
    ? Object.entries(month.components).filter(([c, v]) => v !== null && c !== "transparency").length
    : 0;
  return {
    value: month?.index ?? null,
    base: measured,
    needed: MIN_DATA_COMPONENTS,
    enough: month?.index !== null && month?.index !== undefined,
    counts: (f) =>
      !month
        ? "No month in the period."
        : month.index === null
          ? `Only ${measured} component${measured === 1 ? "" : "s"} measured from events had enough data (${MIN_SAMPLE} customers or more) this month; ${MIN_DATA_COMPONENTS} are needed.`
          : `${formatPoints(f, month.index)} of 100 from ${Object.values(month.components).filter((v) => v !== null).length} of ${COMPONENTS.length} components${
              month.left_out.length
                ? `; left out for lack of data: ${month.left_out.map((c) => COMPONENT_LABELS[c]).join(", ")}`
                : ""
            }.`,
  };
}

export const NOT_ENOUGH = "Not enough data";

/** What a tile says when the value may not be shown: the count it had and the count it needs. */
export function notEnoughNote(f: Formats, r: KpiReading, unit: string): string {
  return `${formatCount(f, r.base)} ${unit}; ${formatCount(f, r.needed)} needed`;
}

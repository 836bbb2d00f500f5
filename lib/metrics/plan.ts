import {
  buckets,
  dayNumber,
  isoInstant,
  monthNumber,
  startOfDay,
  startOfMonth,
  type Bucket,
} from "./buckets";
import type { ResolvedParams } from "./params";
import type { Granularity, MetricName, Rate } from "./types";

/** The window index of the whole period; buckets are 0…n−1. */
export const TOTAL = -1;

export interface Window {
  i: number;
  start: Date;
  end: Date;
}

/** The whole period first, then one window per bucket (either left out when the caller does not read it). */
export interface PeriodPlan {
  buckets: Bucket[];
  windows: Window[];
}

export function periodPlan(
  from: Date,
  to: Date,
  granularity: Granularity,
  read: { total?: boolean; buckets?: boolean } = {},
): PeriodPlan {
  const bs = buckets(from, to, granularity);
  return {
    buckets: bs,
    windows: [
      ...(read.total === false ? [] : [{ i: TOTAL, start: from, end: to }]),
      ...(read.buckets === false ? [] : bs.map((b, i) => ({ i, start: b.start, end: b.end }))),
    ],
  };
}

export const rate = (numerator: number, denominator: number): Rate =>
  denominator === 0 ? null : numerator / denominator;

export function periodHeader<M extends MetricName>(metric: M, p: ResolvedParams) {
  return { metric, from: isoInstant(p.from), to: isoInstant(p.to), granularity: p.granularity };
}

/** How a metric is computed: from the rollups when they cover the query, or from the raw events. */
export type MetricPath = "auto" | "reference";

export type RollupGrain = "day" | "month";

/** A window in whole rollup units, both ends included. */
export interface UnitRange {
  i: number;
  a: number;
  b: number;
}

const isMonthStart = (d: Date) => startOfMonth(d).getTime() === d.getTime();
const isDayStart = (d: Date) => startOfDay(d).getTime() === d.getTime();

/** The coarsest rollup grain whose whole units make up every window, or null when none does. */
export function rollupGrain(windows: Window[]): RollupGrain | null {
  const edges = windows.flatMap((w) => [w.start, w.end]);
  if (edges.every(isMonthStart)) return "month";
  if (edges.every(isDayStart)) return "day";
  return null;
}

export const unitOf = (grain: RollupGrain, ms: number): number =>
  grain === "month" ? monthNumber(ms) : dayNumber(ms);

export function unitRanges(grain: RollupGrain, windows: Window[]): UnitRange[] {
  return windows.map((w) => ({
    i: w.i,
    a: unitOf(grain, w.start.getTime()),
    b: unitOf(grain, w.end.getTime()) - 1,
  }));
}

/** `purposes[]` of a per-purpose metric: totals over the period and a series entry per bucket. */
export function purposeEntries<T extends object>(
  purposes: string[],
  bs: Bucket[],
  at: (i: number, purpose: string) => T,
) {
  return purposes.map((purpose) => ({
    purpose,
    ...at(TOTAL, purpose),
    series: bs.map((b, i) => ({ period: b.period, ...at(i, purpose) })),
  }));
}

import type { Granularity } from "./types";

// Calendar arithmetic in UTC only: the session TimeZone of a database (or of a Citus worker) never
// decides a bucket.
export const DAY_MS = 86_400_000;

export interface Bucket {
  /** The calendar start of the bucket, YYYY-MM-DD, even when `from` clips it. */
  period: string;
  start: Date;
  end: Date;
}

export const startOfDay = (d: Date): Date => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
export const startOfMonth = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
export const addMonths = (d: Date, n: number): Date =>
  new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + n,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );

/** ISO weeks start on Monday. */
export function startOfIsoWeek(d: Date): Date {
  const day = startOfDay(d);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS);
}

export function bucketStart(d: Date, g: Granularity): Date {
  return g === "day" ? startOfDay(d) : g === "week" ? startOfIsoWeek(d) : startOfMonth(d);
}

function nextBucketStart(start: Date, g: Granularity): Date {
  return g === "month" ? addMonths(start, 1) : new Date(start.getTime() + (g === "week" ? 7 : 1) * DAY_MS);
}

export const dateLabel = (d: Date): string => d.toISOString().slice(0, 10);

/** The buckets of [from, to), the first and last clipped to the period. */
export function buckets(from: Date, to: Date, g: Granularity): Bucket[] {
  const out: Bucket[] = [];
  for (let start = bucketStart(from, g); start < to; start = nextBucketStart(start, g)) {
    const end = nextBucketStart(start, g);
    out.push({ period: dateLabel(start), start: start < from ? from : start, end: end > to ? to : end });
  }
  return out;
}

export function bucketCount(from: Date, to: Date, g: Granularity): number {
  if (g === "month") {
    const first = startOfMonth(from);
    return (
      (to.getUTCFullYear() - first.getUTCFullYear()) * 12 +
      to.getUTCMonth() -
      first.getUTCMonth() +
      (to > startOfMonth(to) ? 1 : 0)
    );
  }
  const size = g === "week" ? 7 * DAY_MS : DAY_MS;
  return Math.ceil((to.getTime() - bucketStart(from, g).getTime()) / size);
}

/** `2026-01-01T00:00:00Z`: ISO-8601 in UTC, milliseconds only when there are some. */
export const isoInstant = (d: Date): string => d.toISOString().replace(".000Z", "Z");

// Integer bucket numbers for the rollups: days since 1970-01-01, months since year 0.
export const dayNumber = (ms: number): number => Math.floor(ms / DAY_MS);
/** The first midnight at or after `ms`: an instant counts for every day boundary from this one on. */
export const ceilDayNumber = (ms: number): number => Math.ceil(ms / DAY_MS);
export function monthNumber(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}
export const monthStartMs = (month: number): number => Date.UTC(Math.floor(month / 12), month % 12, 1);

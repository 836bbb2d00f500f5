import type { Granularity } from "./view";

/** Number and date formatting in the reader's locale; the workspace currency for money. */
export interface Formats {
  locale: string;
  currency: string;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options })));
  return f;
}

export const NONE = "—";

/** A rate in [0, 1] as a percentage with one decimal; `null` (no denominator) as a dash. */
export function formatRate(f: Formats, rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return NONE;
  return numberFormat(f.locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(rate);
}

export function formatCount(f: Formats, n: number | null | undefined): string {
  if (n === null || n === undefined) return NONE;
  return numberFormat(f.locale, { maximumFractionDigits: 0 }).format(n);
}

export function formatMoney(f: Formats, amount: number | null | undefined, currency = f.currency): string {
  if (amount === null || amount === undefined) return NONE;
  return numberFormat(f.locale, { style: "currency", currency }).format(amount);
}

/** Trust score (−100..100) and Trust Index (0..100) points, one decimal. */
export function formatPoints(f: Formats, points: number | null | undefined, signed = false): string {
  if (points === null || points === undefined) return NONE;
  return numberFormat(f.locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: signed ? "exceptZero" : "auto",
  }).format(points);
}

export function formatDecimal(f: Formats, n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined) return NONE;
  return numberFormat(f.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

function toDate(value: string): Date {
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}

export function formatDay(f: Formats, day: string | null | undefined): string {
  if (!day) return NONE;
  return dateFormat(f.locale, { day: "numeric", month: "short", year: "numeric" }).format(toDate(day));
}

export function formatDateTime(f: Formats, at: string | null | undefined): string {
  if (!at) return NONE;
  return dateFormat(f.locale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(toDate(at));
}

/**
 * A bucket's label: the day, "week of" its Monday, or the month. A month keeps its whole year even on a chart's
 * axis (`short`): "Oct 26" would read as the 26th of October next to a daily or weekly chart.
 */
export function formatPeriod(f: Formats, period: string, granularity: Granularity, short = false): string {
  const d = toDate(period);
  if (granularity === "month") return dateFormat(f.locale, { month: "short", year: "numeric" }).format(d);
  const day = dateFormat(
    f.locale,
    short ? { day: "numeric", month: "short" } : { day: "numeric", month: "short", year: "numeric" },
  ).format(d);
  return granularity === "week" && !short ? `Week of ${day}` : day;
}

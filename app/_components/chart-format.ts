import { formatCount, formatMoney, formatPoints, formatRate, type Formats } from "./format";
import type { Granularity } from "./view";

/** What a chart's values are, so axes, tooltips and tables say the same unit. */
export type ValueKind = "rate" | "count" | "money" | "points";

export const PALETTE = [
  "var(--c1)",
  "var(--c2)",
  "var(--c3)",
  "var(--c4)",
  "var(--c5)",
  "var(--c6)",
  "var(--c7)",
  "var(--c8)",
  "var(--c9)",
  "var(--c10)",
  "var(--c11)",
  "var(--c12)",
] as const;

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length] ?? "var(--c1)";
}

export function formatValue(f: Formats, kind: ValueKind, v: number | null | undefined): string {
  switch (kind) {
    case "rate":
      return formatRate(f, v);
    case "count":
      return formatCount(f, v);
    case "money":
      return formatMoney(f, v);
    case "points":
      return formatPoints(f, v);
  }
}

/** Axis ticks: shorter than tooltips (whole percentages, compact counts and money). */
export function formatTick(f: Formats, kind: ValueKind, v: number): string {
  switch (kind) {
    case "rate":
      // Two decimals: an axis zoomed to a low rate ticks at 0.25% steps, which one decimal wrote as "0.3%".
      return new Intl.NumberFormat(f.locale, { style: "percent", maximumFractionDigits: 2 }).format(v);
    case "count":
      return new Intl.NumberFormat(f.locale, { notation: "compact", maximumFractionDigits: 1 }).format(v);
    case "money":
      return new Intl.NumberFormat(f.locale, {
        style: "currency",
        currency: f.currency,
        notation: "compact",
        maximumFractionDigits: 1,
      }).format(v);
    case "points":
      return new Intl.NumberFormat(f.locale, { maximumFractionDigits: 0 }).format(v);
  }
}

/** The calendar bucket (`YYYY-MM-DD` start) that contains an instant: where a marker goes on a category axis. */
export function bucketOf(at: string, granularity: Granularity): string {
  const d = new Date(at);
  if (granularity === "month") return `${d.toISOString().slice(0, 7)}-01`;
  if (granularity === "week") {
    const monday = new Date(
      Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)),
    );
    return monday.toISOString().slice(0, 10);
  }
  return d.toISOString().slice(0, 10);
}

import type { ChartRow } from "./charts";

/** Per-purpose series side by side: one row per bucket, one column per purpose (what a multi-line chart draws). */
export function pivotSeries<P extends { period: string }>(
  items: { key: string; series: P[] }[],
  value: (point: P) => number | null,
): ChartRow[] {
  const rows = new Map<string, ChartRow>();
  for (const item of items) {
    for (const point of item.series) {
      const row = rows.get(point.period) ?? { period: point.period };
      row[item.key] = value(point);
      rows.set(point.period, row);
    }
  }
  return [...rows.values()].sort((a, b) => (String(a.period) < String(b.period) ? -1 : 1));
}

"use client";

import { TrendChart, type ChartRow } from "./charts";
import { ChartFooter, type Column, type TableData } from "./data-table";
import { formatPeriod, formatRate } from "./format";
import { useNames } from "./names";
import { pivotSeries } from "./pivot";
import { useFormats } from "./providers";
import type { Granularity } from "./view";

interface PurposeSeries {
  purpose: string;
  series: { period: string }[];
}

/**
 * A rate per purpose over time, one line each, with its table and CSV. Colours follow the purpose's place in
 * the workspace's catalog, so a purpose keeps its colour across charts and filters.
 */
export function PurposeTrend<T extends PurposeSeries>({
  purposes,
  shown,
  rate,
  granularity,
  filename,
  label,
}: {
  purposes: T[];
  shown: (p: T) => boolean;
  rate: (point: T["series"][number]) => number | null;
  granularity: Granularity;
  filename: string;
  label: string;
}) {
  const f = useFormats();
  const names = useNames();
  const lines = purposes.filter(shown);
  const rows = pivotSeries(
    lines.map((p) => ({ key: p.purpose, series: p.series })),
    rate,
  );
  const table: TableData<ChartRow> = {
    filename,
    rows,
    columns: [
      {
        key: "period",
        label: "Period",
        value: (r) => r.period,
        format: (r) => formatPeriod(f, String(r.period), granularity),
      },
      ...lines.map((p): Column<ChartRow> => ({
        key: p.purpose,
        label: names.purpose(p.purpose),
        numeric: true,
        unit: "rate",
        value: (r) => r[p.purpose],
        format: (r) => formatRate(f, r[p.purpose] as number | null),
      })),
    ],
  };
  return (
    <>
      <TrendChart
        data={rows}
        series={lines.map((p) => ({
          key: p.purpose,
          label: names.purpose(p.purpose),
          color: names.purposeColor(p.purpose),
        }))}
        kind="rate"
        granularity={granularity}
        label={label}
      />
      <ChartFooter table={table} rowKey={(r) => String(r.period)} />
    </>
  );
}

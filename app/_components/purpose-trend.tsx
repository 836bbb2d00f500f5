"use client";

import { TrendChart, type ChartRow } from "./charts";
import { ChartFooter, type Column, type TableData } from "./data-table";
import { formatPeriod, formatRate } from "./format";
import { useNames } from "./names";
import { pivotSeries } from "./pivot";
import { useFormats } from "./providers";
import type { Granularity } from "./view";
import { enoughData, MIN_SAMPLE } from "@/lib/metrics/sufficiency";

interface PurposeSeries {
  purpose: string;
  series: { period: string }[];
}

/**
 * A rate per purpose over time, one line each, with its table and CSV. Colours follow the purpose's place in
 * the workspace's catalog, so a purpose keeps its colour across charts and filters. A point measured on fewer than
 * MIN_SAMPLE customers (`base`) is drawn as a hollow ring and counted under the chart: one answer in a week is a
 * 100% or a 0% spike, which the Overview would call "not enough data".
 */
export function PurposeTrend<T extends PurposeSeries>({
  purposes,
  shown,
  rate,
  base,
  granularity,
  filename,
  label,
}: {
  purposes: T[];
  shown: (p: T) => boolean;
  rate: (point: T["series"][number]) => number | null;
  /** The customers the point's rate is measured on. */
  base: (point: T["series"][number]) => number;
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
  const bases = pivotSeries(
    lines.map((p) => ({ key: p.purpose, series: p.series })),
    (point) => (rate(point) === null ? null : base(point)),
  );
  const byPeriod = new Map(bases.map((b) => [b.period, b]));
  const thinPoint = (row: ChartRow, key: string) => {
    const n = byPeriod.get(row.period)?.[key];
    return typeof n === "number" && !enoughData(n);
  };
  const thin = bases.reduce((total, row) => total + lines.filter((p) => thinPoint(row, p.purpose)).length, 0);
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
        thin={thinPoint}
        label={label}
      />
      {thin ? (
        <p className="muted" data-thin-points={thin}>
          Hollow points ({thin}) are measured on fewer than {MIN_SAMPLE} customers: read them as noise.
        </p>
      ) : null}
      <ChartFooter table={table} rowKey={(r) => String(r.period)} />
    </>
  );
}

"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Text,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useSyncExternalStore } from "react";
import { colorAt, formatTick, formatValue, type ValueKind } from "./chart-format";
import { formatPeriod } from "./format";
import { useFormats } from "./providers";
import { breakable, fittingFont, LETTER_EM } from "./label-fit";
import type { Granularity } from "./view";

export interface Series {
  key: string;
  label: string;
  color?: string;
}

export interface Marker {
  period: string;
  label: string;
}

export type ChartRow = Record<string, string | number | null>;

/**
 * Where a marker's label goes: right of its line in the chart's first half, left of it in the second half, so a
 * campaign launched late in the year is not cut at the chart's right edge ("▲ Give back un").
 */
export function markerLabelPosition(period: string, periods: string[]): "insideTopLeft" | "insideTopRight" {
  const at = periods.indexOf(period);
  return at >= 0 && at >= periods.length / 2 ? "insideTopRight" : "insideTopLeft";
}

const tooltipStyle = {
  contentStyle: {
    background: "var(--surface)",
    border: "1px solid var(--border)",
    borderRadius: 8,
    color: "var(--text)",
  },
  labelStyle: { color: "var(--text)", fontWeight: 600 },
  cursor: { stroke: "var(--border)", fill: "var(--surface-2)" },
};
const axisProps = { stroke: "var(--border)", tick: { fill: "var(--muted)", fontSize: 12 }, tickLine: false };
/** Value axes step in 1, 2 or 5 (0, 10, 20, 30 %), not in quarters of an odd maximum. */
const valueTicks = { niceTicks: "snap125" as const };
const legendProps = { wrapperStyle: { fontSize: 12.5 }, itemSorter: null };

let measuring: CanvasRenderingContext2D | null | undefined;

/**
 * The width of a letter of `label`'s longest word in ems, measured in the page's own font (with a margin), so a label's
 * type size is chosen from what the browser draws rather than from an average letter; LETTER_EM on the server.
 */
function letterEmOf(label: string): number {
  const word = label.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), "");
  if (typeof document === "undefined" || !word) return LETTER_EM;
  if (measuring === undefined) {
    // Once per page: the page's font does not change, and getComputedStyle on every tick would force a style pass.
    measuring = document.createElement("canvas").getContext("2d");
    if (measuring) measuring.font = `100px ${getComputedStyle(document.body).fontFamily}`;
  }
  if (!measuring) return LETTER_EM;
  return (measuring.measureText(word).width / 100 / word.length) * 1.06;
}

/**
 * A category label wrapped onto lines within its slot (or, on a horizontal chart, within the axis' width), so long
 * names are never cut. The type size is also given as a style: recharts measures the words with it to wrap them,
 * and would otherwise measure them at the page's 16 px and cut "Advertising" to "Adverti…". A word too long for its
 * slot even at 9 px gets a slot as wide as itself (it may reach into its neighbour's margin) rather than an ellipsis.
 */
function WrappedTick({
  x = 0,
  y = 0,
  payload,
  width = 0,
  visibleTicksCount = 1,
  horizontal = false,
}: {
  x?: number;
  y?: number;
  payload?: { value: unknown };
  width?: number;
  visibleTicksCount?: number;
  horizontal?: boolean;
}) {
  const raw = String(payload?.value ?? "");
  const letterEm = letterEmOf(raw);
  const fit = (room: number) => {
    const { text, longestWord } = breakable(raw, room, letterEm);
    const fontSize = fittingFont(room, longestWord, letterEm);
    return { text, fontSize, width: Math.max(room, Math.ceil(longestWord * letterEm * fontSize) + 2) };
  };
  if (horizontal) {
    const { text, fontSize, width: lineWidth } = fit(Math.max(60, width - 10));
    return (
      <Text
        x={x - 6}
        y={y}
        width={lineWidth}
        textAnchor="end"
        verticalAnchor="middle"
        fill="var(--muted)"
        fontSize={fontSize}
        style={{ fontSize: `${fontSize}px` }}
        maxLines={2}
      >
        {text}
      </Text>
    );
  }
  // A narrow slot wraps between words and shrinks the type until the longest word fits: never "Adverti…" nor
  // "Adver/tising". (On a phone, charts with few named categories are drawn sideways instead: see CategoryBarChart.)
  const { text, fontSize, width: lineWidth } = fit(Math.max(36, width / Math.max(1, visibleTicksCount) - 8));
  return (
    <Text
      x={x}
      y={y + 4}
      width={lineWidth}
      textAnchor="middle"
      verticalAnchor="start"
      fill="var(--muted)"
      fontSize={fontSize}
      style={{ fontSize: `${fontSize}px` }}
      maxLines={4}
    >
      {text}
    </Text>
  );
}

const NARROW = "(max-width: 640px)";
const subscribeNarrow = (onChange: () => void) => {
  const query = window.matchMedia(NARROW);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
};

/** A phone-sized window (re-rendered when it changes); false on the server. */
export function useNarrowScreen(): boolean {
  return useSyncExternalStore(
    subscribeNarrow,
    () => window.matchMedia(NARROW).matches,
    () => false,
  );
}

/** The largest value any series reaches. */
function largest(data: ChartRow[], series: Series[]): number {
  let max = 0;
  for (const row of data)
    for (const s of series) if (typeof row[s.key] === "number") max = Math.max(max, row[s.key] as number);
  return max;
}

/**
 * Rates are drawn on 0–100% when some reach past half of it; smaller rates (churn of 2–10%) on an axis that ends just
 * above the largest, so their differences show. `zoom` forces the short axis.
 */
function valueDomain(kind: ValueKind, zoom: boolean, max: number): [number, number | "auto"] | undefined {
  if (kind !== "rate") return undefined;
  return zoom || max <= 0.5 ? [0, "auto"] : [0, 1];
}

/** A line per series over calendar buckets; gaps where a rate has no denominator. */
export function TrendChart({
  data,
  series,
  kind,
  granularity,
  markers = [],
  height = 280,
  label,
  zoom = false,
  thin,
}: {
  data: ChartRow[];
  series: Series[];
  kind: ValueKind;
  granularity: Granularity;
  zoom?: boolean;
  /** Points measured on too few customers: drawn as hollow rings, so a spike of one answer reads as such. */
  thin?: (row: ChartRow, key: string) => boolean;
  markers?: Marker[];
  height?: number;
  label: string;
}) {
  const f = useFormats();
  return (
    <LineChart
      responsive
      data={data}
      style={{ width: "100%", height }}
      margin={{ top: 8, right: 16, bottom: 0, left: 4 }}
      aria-label={label}
    >
      <CartesianGrid stroke="var(--grid)" vertical={false} />
      <XAxis
        dataKey="period"
        {...axisProps}
        tickFormatter={(p: string) => formatPeriod(f, p, granularity, true)}
        minTickGap={16}
      />
      <YAxis
        {...axisProps}
        {...valueTicks}
        width={56}
        domain={valueDomain(kind, zoom, largest(data, series))}
        tickFormatter={(v: number) => formatTick(f, kind, v)}
      />
      <Tooltip
        {...tooltipStyle}
        labelFormatter={(p) => formatPeriod(f, String(p), granularity)}
        formatter={(v) => formatValue(f, kind, typeof v === "number" ? v : null)}
      />
      <Legend {...legendProps} />
      {markers.map((m) => (
        <ReferenceLine
          key={`${m.period}-${m.label}`}
          x={m.period}
          stroke="var(--warn)"
          strokeDasharray="4 3"
          label={{
            value: m.label,
            position: markerLabelPosition(
              m.period,
              data.map((r) => String(r.period)),
            ),
            fill: "var(--warn)",
            fontSize: 11,
          }}
        />
      ))}
      {series.map((s, i) => (
        <Line
          key={s.key}
          type="monotone"
          dataKey={s.key}
          name={s.label}
          stroke={s.color ?? colorAt(i)}
          strokeWidth={2}
          dot={
            thin
              ? (props: { cx?: number; cy?: number; payload?: ChartRow; index?: number }) => {
                  const { cx, cy, payload, index } = props;
                  const key = `${s.key}-${index ?? 0}`;
                  if (cx === undefined || cy === undefined || !payload || payload[s.key] == null)
                    return <g key={key} />;
                  if (thin(payload, s.key))
                    return (
                      <circle
                        key={key}
                        data-thin-point
                        cx={cx}
                        cy={cy}
                        r={4}
                        fill="var(--bg, #fff)"
                        stroke={s.color ?? colorAt(i)}
                        strokeWidth={1.5}
                      />
                    );
                  return data.length <= 16 ? (
                    <circle key={key} cx={cx} cy={cy} r={3} fill={s.color ?? colorAt(i)} />
                  ) : (
                    <g key={key} />
                  );
                }
              : data.length <= 16
          }
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}

/** A bar's value written upwards from its top, for bars too narrow for a level label. */
function UprightValue({
  x,
  y,
  width,
  text,
}: {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  text: string;
}) {
  if (!text) return null;
  const cx = Number(x ?? 0) + Number(width ?? 0) / 2;
  const top = Number(y ?? 0) - 4;
  return (
    <text
      x={cx}
      y={top}
      transform={`rotate(-90 ${cx} ${top})`}
      textAnchor="start"
      dominantBaseline="central"
      className="bar-value bar-value-upright"
      fill="var(--text)"
      fontSize={10.5}
    >
      {text}
    </text>
  );
}

/** Bars by category (purpose, channel, field…), grouped or stacked. */
export function CategoryBarChart({
  data,
  category,
  series,
  kind,
  stacked = false,
  height = 280,
  label,
  horizontal = false,
  categoryFormat,
  zoom = false,
  labels = false,
}: {
  data: ChartRow[];
  category: string;
  categoryFormat?: (value: string) => string;
  zoom?: boolean;
  /** Each bar's value written at its end, so the number is read without the table. */
  labels?: boolean;
  series: Series[];
  kind: ValueKind;
  stacked?: boolean;
  height?: number;
  label: string;
  horizontal?: boolean;
}) {
  const f = useFormats();
  const narrow = useNarrowScreen();
  // On a phone, a few named categories (purposes, channels, fields) are drawn sideways: their names get a line each.
  const sideways = !horizontal && !categoryFormat && narrow && data.length <= 12;
  if (sideways) {
    horizontal = true;
    // Each bar a little taller when its value is written next to it, so the values of a group do not touch.
    const bar = labels && !stacked && series.length > 1 ? 17 : 14;
    height = Math.max(height, data.length * ((stacked ? 1 : series.length) * bar + 18) + 70);
  }
  // Many bars side by side (channels × purposes) have no room for a level value each: theirs stand upright.
  const upright = labels && !horizontal && !stacked && series.length > 2;
  const valueAxis = {
    ...axisProps,
    ...valueTicks,
    domain: stacked ? undefined : valueDomain(kind, zoom, largest(data, series)),
    tickFormatter: (v: number) => formatTick(f, kind, v),
  };
  return (
    <BarChart
      responsive
      data={data}
      layout={horizontal ? "vertical" : "horizontal"}
      style={{ width: "100%", height }}
      margin={{
        top: upright ? 46 : labels && !horizontal ? 20 : 8,
        right: labels && horizontal ? 56 : 16,
        bottom: 0,
        left: 4,
      }}
      aria-label={label}
      barCategoryGap="22%"
    >
      <CartesianGrid stroke="var(--grid)" vertical={horizontal} horizontal={!horizontal} />
      {horizontal ? (
        <>
          <XAxis type="number" {...valueAxis} />
          <YAxis
            type="category"
            dataKey={category}
            {...axisProps}
            width={narrow ? 112 : 160}
            interval={0}
            tick={<WrappedTick horizontal />}
          />
        </>
      ) : (
        <>
          {categoryFormat ? (
            <XAxis
              dataKey={category}
              {...axisProps}
              interval="preserveStartEnd"
              minTickGap={8}
              tickFormatter={categoryFormat}
            />
          ) : (
            <XAxis dataKey={category} {...axisProps} interval={0} height={64} tick={<WrappedTick />} />
          )}
          <YAxis {...valueAxis} width={56} />
        </>
      )}
      <Tooltip
        {...tooltipStyle}
        labelFormatter={categoryFormat ? (v) => categoryFormat(String(v)) : undefined}
        formatter={(v) => formatValue(f, kind, typeof v === "number" ? v : null)}
      />
      {series.length > 1 ? <Legend {...legendProps} /> : null}
      {series.map((s, i) => (
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.label}
          fill={s.color ?? colorAt(i)}
          stackId={stacked ? "stack" : undefined}
          radius={stacked ? 0 : 3}
          isAnimationActive={false}
        >
          {labels ? (
            upright ? (
              <LabelList
                dataKey={s.key}
                content={(p) => (
                  <UprightValue
                    {...p}
                    text={typeof p.value === "number" ? formatValue(f, kind, p.value) : ""}
                  />
                )}
              />
            ) : (
              <LabelList
                dataKey={s.key}
                position={horizontal ? "right" : "top"}
                className={series.length > 2 && !horizontal ? "bar-value bar-value-dense" : "bar-value"}
                fill="var(--text)"
                fontSize={series.length > 2 ? 10.5 : 12}
                formatter={(v: unknown) => (typeof v === "number" ? formatValue(f, kind, v) : "")}
              />
            )
          ) : null}
        </Bar>
      ))}
    </BarChart>
  );
}

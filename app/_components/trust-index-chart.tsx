"use client";

import { CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { TrustComponent, TrustIndexMonth } from "@/lib/metrics/types";
import { colorAt } from "./chart-format";
import { markerLabelPosition, useNarrowScreen, type Marker } from "./charts";
import { formatPeriod, formatPoints, formatRate } from "./format";
import { useFormats } from "./providers";
import { COMPONENT_LABELS, COMPONENTS } from "./trust-components";

export { COMPONENT_LABELS, COMPONENTS };

/** A component's share of the index in points: its renormalised weight × its value × 100. The shares add up to the index. */
export function contribution(month: TrustIndexMonth, c: TrustComponent): number | null {
  const value = month.components[c];
  const weight = month.weights[c];
  return value === null || weight === undefined ? null : weight * value * 100;
}

type Row = { period: string; index: number | null };

/** The axis around the index's own range (in steps of 5, at least 10 points tall), so that a fall of 1.4 points is visible. */
export function indexDomain(values: (number | null)[]): [number, number] {
  const present = values.filter((v): v is number => v !== null);
  if (!present.length) return [0, 100];
  let low = Math.max(0, Math.floor((Math.min(...present) - 2) / 5) * 5);
  let high = Math.min(100, Math.ceil((Math.max(...present) + 2) / 5) * 5);
  if (high - low < 10) {
    if (high + 5 <= 100) high += 5;
    if (high - low < 10) low = Math.max(0, high - 10);
  }
  return [low, high];
}

export function TrustIndexChart({ months, markers }: { months: TrustIndexMonth[]; markers: Marker[] }) {
  const f = useFormats();
  const narrow = useNarrowScreen();
  const rows: Row[] = months.map((m) => ({ period: m.period, index: m.index }));
  const domain = indexDomain(rows.map((r) => r.index));
  const step = domain[1] - domain[0] > 20 ? 10 : 5;
  const ticks = Array.from(
    { length: Math.floor((domain[1] - domain[0]) / step) + 1 },
    (_, i) => domain[0] + i * step,
  );
  const byPeriod = new Map(months.map((m) => [m.period, m]));
  return (
    <ComposedChart
      responsive
      data={rows}
      style={{ width: "100%", height: 340 }}
      margin={{ top: 18, right: 16, bottom: 0, left: 4 }}
      aria-label={`Trust Index by month, axis from ${domain[0]} to ${domain[1]} of 100`}
    >
      <CartesianGrid stroke="var(--grid)" vertical={false} />
      <XAxis
        dataKey="period"
        stroke="var(--border)"
        tick={{ fill: "var(--muted)", fontSize: 12 }}
        tickLine={false}
        tickFormatter={(p: string) => formatPeriod(f, p, "month", true)}
        // The first and last months' values are written above their points: inset them from the value axis.
        padding={{ left: 20, right: 20 }}
      />
      <YAxis
        domain={domain}
        ticks={ticks}
        allowDataOverflow
        stroke="var(--border)"
        tick={{ fill: "var(--muted)", fontSize: 12 }}
        tickLine={false}
        width={40}
      />
      <Tooltip
        content={({ active, label }) => {
          const month = active && label !== undefined ? byPeriod.get(String(label)) : undefined;
          if (!month) return null;
          return (
            <div className="recharts-default-tooltip" style={{ padding: "8px 10px", fontSize: 12.5 }}>
              <div className="recharts-tooltip-label">
                {formatPeriod(f, month.period, "month")}: Trust Index{" "}
                {month.index === null ? "not enough data" : `${formatPoints(f, month.index)} of 100`}
              </div>
              <table>
                <tbody>
                  {COMPONENTS.map((c, i) => (
                    <tr key={c}>
                      <td style={{ color: colorAt(i), paddingRight: 10 }}>{COMPONENT_LABELS[c]}</td>
                      <td className="num" style={{ textAlign: "right", paddingRight: 10 }}>
                        {month.not_enough_data.includes(c)
                          ? "not enough data"
                          : month.left_out.includes(c)
                            ? "no data"
                            : formatRate(f, month.components[c])}
                      </td>
                      <td className="num muted" style={{ textAlign: "right" }}>
                        {month.left_out.includes(c) ? "" : `${formatPoints(f, contribution(month, c))} pts`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      />
      <Line
        type="monotone"
        dataKey="index"
        name="Trust Index"
        stroke="var(--accent)"
        strokeWidth={2.5}
        dot={{ r: 3 }}
        connectNulls={false}
        isAnimationActive={false}
        label={(p: { x?: number | string; y?: number | string; value?: unknown; index?: number }) =>
          // On a phone twelve values do not fit side by side ("68.468.4"): every other month is written, the latest always.
          typeof p.value === "number" && (!narrow || (rows.length - 1 - (p.index ?? 0)) % 2 === 0) ? (
            <text
              key={p.index}
              x={Number(p.x ?? 0)}
              y={Number(p.y ?? 0) - 8}
              textAnchor="middle"
              fontSize={11}
              fill="var(--muted)"
              className="index-value"
            >
              {formatPoints(f, p.value)}
            </text>
          ) : (
            <g key={p.index} />
          )
        }
      />
      {markers.map((m) => (
        <ReferenceLine
          key={`${m.period}-${m.label}`}
          x={m.period}
          stroke="var(--warn)"
          strokeDasharray="4 3"
          label={{
            value: `▲ ${m.label}`,
            position: markerLabelPosition(
              m.period,
              rows.map((r) => r.period),
            ),
            fill: "var(--warn)",
            fontSize: 11,
          }}
        />
      ))}
    </ComposedChart>
  );
}

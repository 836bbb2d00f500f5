"use client";

import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatPoints } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";

export interface DifferencePoint {
  horizon: string;
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

const axis = { stroke: "var(--border)", tick: { fill: "var(--muted)", fontSize: 12 }, tickLine: false };

/**
 * Recipients minus holdout per horizon, with its 95% interval as an error bar and zero marked: an interval that
 * crosses zero is no evidence of an effect. `unit` is "pp" for rates (given as fractions) or "pts" for the trust score.
 */
export function DifferenceChart({
  points,
  unit,
  higherIsBetter,
  label,
}: {
  points: DifferencePoint[];
  unit: "pp" | "pts";
  higherIsBetter: boolean;
  label: string;
}) {
  const f = useFormats();
  const scale = unit === "pp" ? 100 : 1;
  const data = points.map((p) => {
    const d = p.difference === null ? null : p.difference * scale;
    const ci =
      d === null || p.ci_low === null || p.ci_high === null
        ? null
        : [d - p.ci_low * scale, p.ci_high * scale - d];
    return {
      horizon: p.horizon,
      difference: d,
      ci,
      low: p.ci_low === null ? null : p.ci_low * scale,
      high: p.ci_high === null ? null : p.ci_high * scale,
    };
  });
  const show = (v: number | null) => (v === null ? "—" : `${formatPoints(f, v, true)} ${unit}`);
  return (
    <BarChart
      responsive
      data={data}
      style={{ width: "100%", height: 240 }}
      margin={{ top: 8, right: 16, bottom: 0, left: 4 }}
      aria-label={label}
    >
      <CartesianGrid stroke="var(--grid)" vertical={false} />
      <XAxis dataKey="horizon" {...axis} />
      <YAxis
        {...axis}
        width={56}
        tickFormatter={(v: number) => `${Math.round(v)}`}
        label={{ value: unit, angle: -90, position: "insideLeft", fill: "var(--muted)", fontSize: 12 }}
      />
      <ReferenceLine y={0} stroke="var(--muted)" />
      <Tooltip
        contentStyle={{
          background: "var(--surface)",
          border: "1px solid var(--border)",
          borderRadius: 8,
          color: "var(--text)",
        }}
        cursor={{ fill: "var(--surface-2)" }}
        formatter={(_v, _n, item) => {
          const p = item.payload as (typeof data)[number];
          return [`${show(p.difference)} (95%: ${show(p.low)} to ${show(p.high)})`, "Recipients − holdout"];
        }}
      />
      <Bar dataKey="difference" name="Recipients − holdout" isAnimationActive={false} radius={3}>
        {data.map((p) => (
          <Cell
            key={p.horizon}
            fill={
              p.difference === null || p.difference === 0
                ? "var(--c8)"
                : p.difference > 0 === higherIsBetter
                  ? "var(--good)"
                  : "var(--bad)"
            }
          />
        ))}
        <ErrorBar dataKey="ci" width={6} stroke="var(--text)" direction="y" isAnimationActive={false} />
      </Bar>
    </BarChart>
  );
}

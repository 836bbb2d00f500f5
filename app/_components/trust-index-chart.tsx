"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { TrustComponent, TrustIndexMonth } from "@/lib/metrics/types";
import { colorAt } from "./chart-format";
import type { Marker } from "./charts";
import { formatPeriod, formatPoints, formatRate } from "./format";
import { useFormats } from "./providers";

export const COMPONENT_LABELS: Record<TrustComponent, string> = {
  consent: "Consent",
  retention: "Retention of consent",
  reciprocity: "Reciprocity",
  minimisation: "Data minimisation",
  transparency: "Transparency",
  accountability: "Accountability",
  survey: "Trust survey",
};
export const COMPONENTS = Object.keys(COMPONENT_LABELS) as TrustComponent[];

/** A component's share of the index in points: its renormalised weight × its value × 100. The shares add up to the index. */
export function contribution(month: TrustIndexMonth, c: TrustComponent): number | null {
  const value = month.components[c];
  const weight = month.weights[c];
  return value === null || weight === undefined ? null : weight * value * 100;
}

type Row = { period: string; index: number | null } & Partial<Record<TrustComponent, number | null>>;

export function TrustIndexChart({ months, markers }: { months: TrustIndexMonth[]; markers: Marker[] }) {
  const f = useFormats();
  const rows: Row[] = months.map((m) => ({ period: m.period, index: m.index, ...Object.fromEntries(COMPONENTS.map((c) => [c, contribution(m, c)])) }));
  const byPeriod = new Map(months.map((m) => [m.period, m]));
  return (
    <ComposedChart responsive data={rows} style={{ width: "100%", height: 340 }} margin={{ top: 18, right: 16, bottom: 0, left: 4 }} aria-label="Trust Index by month, with each component's contribution">
      <CartesianGrid stroke="var(--grid)" vertical={false} />
      <XAxis dataKey="period" stroke="var(--border)" tick={{ fill: "var(--muted)", fontSize: 12 }} tickLine={false} tickFormatter={(p: string) => formatPeriod(f, p, "month", true)} />
      <YAxis domain={[0, 100]} stroke="var(--border)" tick={{ fill: "var(--muted)", fontSize: 12 }} tickLine={false} width={40} />
      <Tooltip
        content={({ active, label }) => {
          const month = active && label !== undefined ? byPeriod.get(String(label)) : undefined;
          if (!month) return null;
          return (
            <div className="recharts-default-tooltip" style={{ padding: "8px 10px", fontSize: 12.5 }}>
              <div className="recharts-tooltip-label">
                {formatPeriod(f, month.period, "month")}: Trust Index {formatPoints(f, month.index)}
              </div>
              <table>
                <tbody>
                  {COMPONENTS.map((c, i) => (
                    <tr key={c}>
                      <td style={{ color: colorAt(i), paddingRight: 10 }}>{COMPONENT_LABELS[c]}</td>
                      <td className="num" style={{ textAlign: "right", paddingRight: 10 }}>
                        {month.left_out.includes(c) ? "left out" : formatRate(f, month.components[c])}
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
      <Legend wrapperStyle={{ fontSize: 12.5 }} itemSorter={null} />
      {COMPONENTS.map((c, i) => (
        <Area key={c} type="monotone" dataKey={c} name={COMPONENT_LABELS[c]} stackId="components" stroke={colorAt(i)} fill={colorAt(i)} fillOpacity={0.35} isAnimationActive={false} />
      ))}
      <Line type="monotone" dataKey="index" name="Trust Index" stroke="var(--text)" strokeWidth={2.5} dot={{ r: 3 }} isAnimationActive={false} />
      {markers.map((m) => (
        <ReferenceLine key={`${m.period}-${m.label}`} x={m.period} stroke="var(--warn)" strokeDasharray="4 3" label={{ value: `▲ ${m.label}`, position: "insideTopLeft", fill: "var(--warn)", fontSize: 11 }} />
      ))}
    </ComposedChart>
  );
}

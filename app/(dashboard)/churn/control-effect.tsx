"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart } from "@/app/_components/charts";
import { ChartFooter } from "@/app/_components/data-table";
import { formatRate } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import { controlEffectQuery } from "@/app/_components/queries";
import type { QueryParams } from "@/app/_components/query-keys";
import { DataView, EmptyState } from "@/app/_components/states";
import { sourceLabel } from "@/lib/metrics/sources";
import type { ChurnCounts, ControlEffectResponse } from "@/lib/metrics/types";
import { groupTable } from "./group-table";

const NO_ACTIVE = (
  <EmptyState title="No active customers at the start of this period.">
    Control effect compares the customers active at the start of the period.
  </EmptyState>
);

/** Percentage points, signed. */
const pp = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v * 100).toFixed(1)} pp`;

/** Does giving control pay? Churn of customers who used a control before the period against those who did not, with a 95% interval. */
export function ControlEffect({ params }: { params: QueryParams }) {
  return (
    <Card
      id="control-effect"
      wide
      title="Control effect"
      definition="control-effect"
      description="Customers active at the start of the period who had used a control (a choice made in a control source, such as the preference centre) against those who had not."
    >
      <DataView
        query={controlEffectQuery(params)}
        isEmpty={(r) => r.used_control.active + r.no_control.active === 0}
        empty={NO_ACTIVE}
      >
        {(r) => <Effect response={r} />}
      </DataView>
    </Card>
  );
}

function Effect({ response }: { response: ControlEffectResponse }) {
  const f = useFormats();
  const rows: (ChurnCounts & { group: string; label: string })[] = [
    { group: "used_control", label: "Used a control", ...response.used_control },
    { group: "no_control", label: "No control used", ...response.no_control },
  ];
  const table = groupTable(
    f,
    `control-effect_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
  );
  const small = Math.min(response.used_control.active, response.no_control.active) < 30;
  return (
    <>
      <p style={{ marginBottom: 8 }} data-control-summary>
        {response.difference === null ? (
          <>One of the two groups is empty, so there is no difference to show.</>
        ) : (
          <>
            Churn of customers who used a control differs by <strong>{pp(response.difference)}</strong> (95%
            interval {pp(response.ci_low ?? 0)} to {pp(response.ci_high ?? 0)})
            {response.relative_reduction !== null ? (
              <>, a relative reduction of {formatRate(f, response.relative_reduction)}</>
            ) : null}
            .{" "}
            {(response.ci_low ?? 0) <= 0 && (response.ci_high ?? 0) >= 0
              ? "The interval includes zero: no clear difference."
              : null}
          </>
        )}{" "}
        This is an <strong>association, not cause</strong>: customers who use controls may differ in other
        ways.
        {small ? " One group is small (under 30 customers): read the interval, not the point." : null}
      </p>
      <CategoryBarChart
        data={rows.map((r) => ({ group: r.label, churn_rate: r.churn_rate }))}
        category="group"
        series={[{ key: "churn_rate", label: "Churn rate", color: "var(--c4)" }]}
        kind="rate"
        zoom
        labels
        height={220}
        label="Churn rate with and without a control used"
      />
      <p className="muted">
        Counted as controls: {response.control_sources.map(sourceLabel).join(", ") || "no source yet"} (an
        administrator chooses these sources in the workspace configuration).
      </p>
      <ChartFooter table={table} rowKey={(r) => r.group} />
    </>
  );
}

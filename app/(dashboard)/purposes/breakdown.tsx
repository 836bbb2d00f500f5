"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { formatCount } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { enoughData, MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import { useFormats } from "@/app/_components/providers";
import { optInQuery, useCatalogQuery } from "@/app/_components/queries";
import { DataView } from "@/app/_components/states";
import type { ViewState } from "@/app/_components/use-view";
import type { OptInResponse } from "@/lib/metrics/types";
import { NO_ANSWERS } from "./purpose-name";
import { BREAKDOWNS, type purposesQueries } from "./purposes-params";
import { countColumn, rateColumn } from "@/app/_components/columns";

interface Cell {
  value: string;
  purpose: string;
  answered: number;
  granted: number;
  opt_in_rate: number | null;
}

const NONE = "(none)";

/** Opt-in rate by channel, region or journey step (`context`), every purpose side by side. */
export function Breakdown({ state, q }: { state: ViewState; q: ReturnType<typeof purposesQueries> }) {
  const query = optInQuery(q.optInBreakdown);
  const catalog = useCatalogQuery();
  const names = useNames();
  const label = BREAKDOWNS.find((b) => b.id === q.breakdown)?.label ?? q.breakdown;
  const contexts = catalog.contexts;
  return (
    <Card
      id="opt-in-breakdown"
      wide
      title={`Opt-in rate by ${label.toLowerCase()}`}
      definition="opt-in-rate"
      description="A customer's channel and region are their latest known ones; the journey step is where the question was asked."
      actions={
        <>
          <div className="presets" role="group" aria-label="Break down by">
            {BREAKDOWNS.map((b) => (
              <button
                key={b.id}
                type="button"
                className="btn btn-small"
                aria-pressed={q.breakdown === b.id}
                onClick={() => state.setView({}, { breakdown: b.id })}
              >
                {b.label}
              </button>
            ))}
          </div>
          <label>
            <span className="sr-only">Journey step filter</span>
            <select
              className="select"
              name="context"
              value={q.context ?? ""}
              onChange={(e) => state.setView({}, { context: e.target.value || undefined })}
            >
              <option value="">Every journey step</option>
              {contexts.map((c) => (
                <option key={c} value={c}>
                  {names.dimension("context", c)}
                </option>
              ))}
            </select>
          </label>
        </>
      }
    >
      <DataView
        query={query}
        height={300}
        isEmpty={(r) => r.purposes.every((p) => p.answered === 0)}
        empty={NO_ANSWERS}
      >
        {(r) => <BreakdownChart response={r} label={label} />}
      </DataView>
    </Card>
  );
}

function BreakdownChart({ response, label }: { response: OptInResponse; label: string }) {
  const f = useFormats();
  const names = useNames();
  const cells: Cell[] = response.purposes.flatMap((p) =>
    (p.breakdown ?? []).map((b) => ({
      value: b.value ?? NONE,
      purpose: p.purpose,
      answered: b.answered,
      granted: b.granted,
      opt_in_rate: b.opt_in_rate,
    })),
  );
  const values = [...new Set(cells.map((c) => c.value))].sort();
  const purposes = response.purposes.filter((p) => p.answered > 0);
  const dimension =
    response.breakdown === "region" ? "region" : response.breakdown === "context" ? "context" : "channel";
  const shown = (value: string) => (value === NONE ? "Not known" : names.dimension(dimension, value));
  // A bar of fewer than MIN_SAMPLE answers is left out, as the Overview leaves such a rate out: one "yes" of one
  // would be the tallest bar. The table and CSV keep every count and rate.
  const rows: ChartRow[] = values.map((value) => {
    const row: ChartRow = { value: shown(value) };
    for (const c of cells)
      if (c.value === value) row[c.purpose] = enoughData(c.answered) ? c.opt_in_rate : null;
    return row;
  });
  const thin = cells.filter((c) => c.answered > 0 && !enoughData(c.answered));
  const table: TableData<Cell> = {
    filename: `opt-in-by-${response.breakdown ?? "breakdown"}_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows: cells,
    columns: [
      {
        key: response.breakdown ?? "value",
        label,
        value: (c) => (c.value === NONE ? "" : c.value),
        format: (c) => shown(c.value),
      },
      { key: "purpose", label: "Purpose", value: (c) => c.purpose, format: (c) => names.purpose(c.purpose) },
      countColumn(f, "answered", "Asked"),
      countColumn(f, "granted", "Granted"),
      rateColumn(f, "opt_in_rate", "Opt-in rate"),
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={rows}
        category="value"
        series={purposes.map((p) => ({
          key: p.purpose,
          label: names.purpose(p.purpose),
          color: names.purposeColor(p.purpose),
        }))}
        kind="rate"
        labels
        height={320}
        label={`Opt-in rate by ${label.toLowerCase()} and purpose`}
      />
      {thin.length ? (
        <p className="muted" data-thin-bars={thin.length}>
          Left out of the chart for fewer than {MIN_SAMPLE} answers:{" "}
          {thin
            .map((c) => `${shown(c.value)} · ${names.purpose(c.purpose)} (${formatCount(f, c.answered)})`)
            .join(", ")}
          . The data table lists them.
        </p>
      ) : null}
      <ChartFooter table={table} rowKey={(c) => `${c.value}|${c.purpose}`} />
    </>
  );
}

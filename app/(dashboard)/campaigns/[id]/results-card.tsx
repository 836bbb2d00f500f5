"use client";

import { useState } from "react";
import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { CsvButton, DataTable, type TableData } from "@/app/_components/data-table";
import { formatCount, formatDay, formatPoints, formatRate, type Formats } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import { EmptyState, QueryView } from "@/app/_components/states";
import type { CampaignResults, HorizonResult } from "@/lib/campaigns/types";
import { useCampaignResultsQuery } from "../campaign-api";
import styles from "../campaigns.module.css";
import { DifferenceChart } from "./difference-chart";

type Measure = "churn" | "opt_in" | "trust_score";

const MEASURES: { key: Measure; label: string; higherIsBetter: boolean }[] = [
  { key: "churn", label: "Churn rate", higherIsBetter: false },
  { key: "opt_in", label: "Opt-in rate, other purposes", higherIsBetter: true },
  { key: "trust_score", label: "Trust score", higherIsBetter: true },
];

interface ResultRow {
  days: number;
  measure: Measure;
  label: string;
  recipients: number | null;
  recipients_n: number;
  holdout: number | null;
  holdout_n: number;
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

const labelOf = (measure: Measure) => MEASURES.find((m) => m.key === measure)?.label ?? measure;

function rowsOf(h: HorizonResult): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const measure of ["churn", "opt_in"] as const) {
    const c = h[measure];
    if (!c) continue;
    const g = {
      recipients: c.recipients.rate,
      recipients_n: c.recipients.n,
      holdout: c.holdout.rate,
      holdout_n: c.holdout.n,
    };
    rows.push({
      days: h.days,
      measure,
      label: labelOf(measure),
      difference: c.difference,
      ci_low: c.ci_low,
      ci_high: c.ci_high,
      ...g,
    });
  }
  const t = h.trust_score;
  if (t) {
    const g = {
      recipients: t.recipients.trust_score,
      recipients_n: t.recipients.responses,
      holdout: t.holdout.trust_score,
      holdout_n: t.holdout.responses,
    };
    rows.push({
      days: h.days,
      measure: "trust_score",
      label: labelOf("trust_score"),
      difference: t.difference,
      ci_low: t.ci_low,
      ci_high: t.ci_high,
      ...g,
    });
  }
  return rows;
}

function value(f: Formats, measure: Measure, v: number | null, signed = false): string {
  if (measure === "trust_score") return formatPoints(f, v, signed);
  if (v === null) return "—";
  return signed ? `${v > 0 ? "+" : ""}${formatPoints(f, v * 100)} pp` : formatRate(f, v);
}

/** Recipients against the holdout at 30, 60 and 90 days: a chart per measure and the table of every number. */
export function ResultsCard({ id }: { id: string }) {
  const f = useFormats();
  const [measure, setMeasure] = useState<Measure>("churn");
  const query = useCampaignResultsQuery(id, true);
  const table = (results: CampaignResults): TableData<ResultRow> => ({
    filename: `${id}-results`,
    rows: results.horizons.flatMap(rowsOf),
    columns: [
      { key: "measure", label: "Measure", value: (r) => r.measure, format: (r) => r.label },
      { key: "days", label: "After", numeric: true, value: (r) => r.days, format: (r) => `${r.days} days` },
      {
        key: "recipients",
        label: "Recipients",
        numeric: true,
        value: (r) => r.recipients,
        format: (r) => `${value(f, r.measure, r.recipients)} (n ${formatCount(f, r.recipients_n)})`,
      },
      {
        key: "holdout",
        label: "Holdout",
        numeric: true,
        value: (r) => r.holdout,
        format: (r) => `${value(f, r.measure, r.holdout)} (n ${formatCount(f, r.holdout_n)})`,
      },
      {
        key: "difference",
        label: "Difference",
        numeric: true,
        value: (r) => r.difference,
        format: (r) => value(f, r.measure, r.difference, true),
      },
      {
        key: "ci",
        label: "95% interval",
        numeric: true,
        value: (r) => (r.ci_low === null ? null : `${r.ci_low};${r.ci_high}`),
        format: (r) =>
          r.ci_low === null
            ? "—"
            : `${value(f, r.measure, r.ci_low, true)} to ${value(f, r.measure, r.ci_high, true)}`,
      },
    ],
  });
  const chartRows = (results: CampaignResults): ChartRow[] =>
    results.horizons.map((h) => {
      const row = rowsOf(h).find((r) => r.measure === measure);
      return {
        horizon: `${h.days} days`,
        recipients: row?.recipients ?? null,
        holdout: row?.holdout ?? null,
      };
    });
  return (
    <Card
      id="campaign-results"
      title="Results against the holdout"
      description="Contacted recipients compared with the holdout, 30, 60 and 90 days after the launch (the difference is recipients' rate minus the holdout's). Churn counts the customers still active at the launch, opt-in the answers to the other purposes (one per customer and purpose), the trust score the customers who answered the survey: so a row's n differs from the group's size. Rates: 95% interval for the difference of two proportions; trust score: 95% interval from the normal approximation."
      actions={query.data ? <CsvButton table={table(query.data)} /> : null}
      wide
    >
      <QueryView
        query={query}
        isEmpty={(r) => !r.horizons.some((h) => h.available)}
        empty={
          <EmptyState title="No results yet.">
            The first comparison is 30 days after launch, on {formatDay(f, query.data?.horizons[0]?.until)};
            the others at 60 and 90 days.
          </EmptyState>
        }
      >
        {(results) => {
          const pending = results.horizons.filter((h) => !h.available);
          const chosen = MEASURES.find((m) => m.key === measure) ?? MEASURES[0]!;
          const points = results.horizons.map((h) => ({
            horizon: `${h.days} days`,
            ...(rowsOf(h).find((r) => r.measure === measure) ?? {
              difference: null,
              ci_low: null,
              ci_high: null,
            }),
          }));
          return (
            <>
              <div className="presets" role="group" aria-label="Measure">
                {MEASURES.map((m) => (
                  <button
                    key={m.key}
                    type="button"
                    className="btn btn-small"
                    aria-pressed={measure === m.key}
                    onClick={() => setMeasure(m.key)}
                  >
                    {m.label}
                  </button>
                ))}
              </div>
              <div className={styles.charts}>
                <div>
                  <h3>Recipients and holdout</h3>
                  <CategoryBarChart
                    data={chartRows(results)}
                    category="horizon"
                    series={[
                      {
                        key: "recipients",
                        label: `Recipients (${formatCount(f, results.recipients)})`,
                        color: "var(--c1)",
                      },
                      {
                        key: "holdout",
                        label: `Holdout (${formatCount(f, results.holdout)})`,
                        color: "var(--c8)",
                      },
                    ]}
                    kind={measure === "trust_score" ? "points" : "rate"}
                    label={`${chosen.label}: recipients and holdout`}
                    height={240}
                  />
                </div>
                <div>
                  <h3>Difference with its 95% interval</h3>
                  <DifferenceChart
                    points={points}
                    unit={measure === "trust_score" ? "pts" : "pp"}
                    higherIsBetter={chosen.higherIsBetter}
                    label={`${chosen.label}: recipients minus holdout`}
                  />
                </div>
              </div>
              <DataTable
                table={table(results)}
                rowKey={(r) => `${r.measure}-${r.days}`}
                testId="campaign-results"
              />
              <p className="muted">
                Holdings removed (the field deleted for the customer in the window):{" "}
                {results.horizons
                  .filter((h) => h.removed)
                  .map(
                    (h) =>
                      `${h.days} days: ${formatCount(f, h.removed?.recipients)} of recipients, ${formatCount(f, h.removed?.holdout)} of holdout`,
                  )
                  .join(" · ")}
                {pending.length
                  ? `. Not yet available: ${pending.map((h) => `${h.days} days (on ${formatDay(f, h.until)})`).join(", ")}.`
                  : ""}
              </p>
            </>
          );
        }}
      </QueryView>
    </Card>
  );
}

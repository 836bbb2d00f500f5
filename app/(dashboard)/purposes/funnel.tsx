"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { csvSource, type CsvSource } from "@/app/_components/csv-source";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { formatCount } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { useFormats } from "@/app/_components/providers";
import { useOptInQuery, useReciprocityQuery, useWithdrawalsQuery } from "@/app/_components/queries";
import { Boundary } from "@/app/_components/states";
import type { OptInResponse, ReciprocityResponse, WithdrawalsResponse } from "@/lib/metrics/types";
import { NO_ANSWERS, PurposeName } from "./purpose-name";
import type { purposesQueries } from "./purposes-params";
import { rateColumn } from "@/app/_components/columns";

interface Stage {
  purpose: string;
  asked: number;
  granted: number;
  used: number;
  valued: number;
  withdrawn: number;
  reciprocity: number | null;
  withdrawal_rate: number | null;
}

const STAGES = [
  { key: "asked", label: "Asked", color: "var(--c8)" },
  { key: "granted", label: "Granted", color: "var(--c3)" },
  { key: "used", label: "Data used", color: "var(--c1)" },
  { key: "valued", label: "Value delivered", color: "var(--c7)" },
  { key: "withdrawn", label: "Withdrawn", color: "var(--c4)" },
] as const;

function stages(
  optIn: OptInResponse,
  withdrawals: WithdrawalsResponse,
  reciprocity: ReciprocityResponse,
): Stage[] {
  return optIn.purposes.map((p) => {
    const w = withdrawals.purposes.find((x) => x.purpose === p.purpose);
    const r = reciprocity.purposes.find((x) => x.purpose === p.purpose);
    return {
      purpose: p.purpose,
      asked: p.answered,
      granted: p.granted,
      used: r?.used ?? 0,
      valued: r?.used_and_valued ?? 0,
      withdrawn: w?.withdrawn ?? 0,
      reciprocity: r?.reciprocity ?? null,
      withdrawal_rate: w?.withdrawal_rate ?? null,
    };
  });
}

/** Asked → granted → used → value delivered → withdrawn, per purpose: where the promise of each ask breaks. */
export function Funnel({ q }: { q: ReturnType<typeof purposesQueries> }) {
  return (
    <Card
      id="funnel"
      wide
      title="From the ask to giving back, per purpose"
      definition="funnel"
      description="Distinct customers at each step in the period. Not a funnel: data is used for customers who said yes before the period too, so “Data used” can be larger than “Asked”. A purpose whose data is used far more than value is delivered takes without giving back."
    >
      <Boundary height={300}>
        <FunnelData q={q} />
      </Boundary>
    </Card>
  );
}

function FunnelData({ q }: { q: ReturnType<typeof purposesQueries> }) {
  const optIn = useOptInQuery(q.optIn);
  const withdrawals = useWithdrawalsQuery(q.withdrawals);
  const reciprocity = useReciprocityQuery(q.reciprocity);
  if (optIn.purposes.every((p) => p.answered === 0)) return NO_ANSWERS;
  return (
    <FunnelChart
      rows={stages(optIn, withdrawals, reciprocity)}
      period={`${optIn.from.slice(0, 10)}_${optIn.to.slice(0, 10)}`}
      source={csvSource([
        ["opt-in", q.optIn, optIn],
        ["withdrawals", q.withdrawals, withdrawals],
        ["reciprocity", q.reciprocity, reciprocity],
      ])}
    />
  );
}

function FunnelChart({ rows, period, source }: { rows: Stage[]; period: string; source?: CsvSource }) {
  const f = useFormats();
  const names = useNames();
  const data: ChartRow[] = rows.map((r) => ({
    purpose: names.purpose(r.purpose),
    asked: r.asked,
    granted: r.granted,
    used: r.used,
    valued: r.valued,
    withdrawn: r.withdrawn,
  }));
  const table: TableData<Stage> = {
    filename: `purpose-funnel_${period}`,
    source,
    rows,
    columns: [
      {
        key: "purpose",
        label: "Purpose",
        value: (r) => r.purpose,
        format: (r) => <PurposeName purpose={r.purpose} />,
      },
      ...STAGES.map((s) => ({
        key: s.key,
        label: s.label,
        numeric: true,
        value: (r: Stage) => r[s.key],
        format: (r: Stage) => formatCount(f, r[s.key]),
      })),
      rateColumn(f, "reciprocity", "Reciprocity"),
      rateColumn(f, "withdrawal_rate", "Withdrawal rate"),
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={data}
        category="purpose"
        series={STAGES.map((s) => ({ key: s.key, label: s.label, color: s.color }))}
        kind="count"
        labels
        height={320}
        label="Purpose funnel"
      />
      <ChartFooter table={table} rowKey={(r) => r.purpose} />
    </>
  );
}

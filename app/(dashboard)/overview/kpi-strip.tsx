"use client";

import { useSuspenseQuery, type UseSuspenseQueryOptions } from "@tanstack/react-query";
import { Suspense } from "react";
import { formatPoints, formatRate } from "@/app/_components/format";
import { KpiChange, KpiTile } from "@/app/_components/kpi-tile";
import { overallDormantShare, overallOptInRate, overallReciprocity, overallWithdrawalRate } from "@/app/_components/overall";
import { useFormats } from "@/app/_components/providers";
import { churnQuery, dormantDataQuery, optInQuery, reciprocityQuery, trustScoreQuery, withdrawalsQuery } from "@/app/_components/queries";
import type { QueryParams } from "@/app/_components/query-keys";
import { Boundary, Skeleton } from "@/app/_components/states";
import type { ChurnResponse, TrustScoreResponse } from "@/lib/metrics/types";
import type { overviewQueries } from "./overview-params";

type Options<T> = UseSuspenseQueryOptions<T, Error, T, readonly [string, QueryParams]>;

interface TileProps<T> {
  id: string;
  label: string;
  higherIsBetter: boolean;
  unit: "pp" | "points";
  now: Options<T>;
  before: Options<T>;
  pick: (data: T) => number | null;
  previousLabel: string;
}

/** The value shows as soon as the period's answer arrives; the change follows with the previous period's. */
function Tile<T>(props: TileProps<T>) {
  const f = useFormats();
  const format = (v: number | null) => (props.unit === "points" ? formatPoints(f, v) : formatRate(f, v));
  const current = props.pick(useSuspenseQuery(props.now).data);
  return (
    <KpiTile id={props.id} label={props.label} value={format(current)}>
      <Suspense fallback={<span className="muted" data-loading>Comparing with {props.previousLabel}…</span>}>
        <Change {...props} current={current} format={format} />
      </Suspense>
    </KpiTile>
  );
}

function Change<T>({ before, pick, current, format, unit, higherIsBetter, previousLabel }: TileProps<T> & { current: number | null; format: (v: number | null) => string }) {
  const previous = pick(useSuspenseQuery(before).data);
  return <KpiChange current={current} previous={previous} format={format} unit={unit} higherIsBetter={higherIsBetter} previousLabel={previousLabel} />;
}

function Slot<T>(props: TileProps<T>) {
  return (
    <div role="listitem">
      <Boundary fallback={<Skeleton height={104} label={`Loading ${props.label.toLowerCase()}`} />}>
        <Tile {...props} />
      </Boundary>
    </div>
  );
}

const churnRate = (r: ChurnResponse) => r.overall.churn_rate;
const trustScore = (r: TrustScoreResponse) => r.trust_score;

/** The six KPI tiles: each value for the period, and its change against the period before. */
export function KpiStrip({ q, previousLabel }: { q: ReturnType<typeof overviewQueries>; previousLabel: string }) {
  const common = { previousLabel, unit: "pp" as const };
  return (
    <div className="kpis" role="list" aria-label="Key figures for the period">
      <Slot id="opt-in-rate" label="Opt-in rate" higherIsBetter now={optInQuery(q.current)} before={optInQuery(q.previous)} pick={overallOptInRate} {...common} />
      <Slot id="withdrawal-rate" label="Withdrawal rate" higherIsBetter={false} now={withdrawalsQuery(q.current)} before={withdrawalsQuery(q.previous)} pick={overallWithdrawalRate} {...common} />
      <Slot id="reciprocity" label="Reciprocity" higherIsBetter now={reciprocityQuery(q.current)} before={reciprocityQuery(q.previous)} pick={overallReciprocity} {...common} />
      <Slot id="dormant-share" label="Dormant share" higherIsBetter={false} now={dormantDataQuery(q.dormantNow)} before={dormantDataQuery(q.dormantBefore)} pick={overallDormantShare} {...common} />
      <Slot id="churn-rate" label="Churn rate" higherIsBetter={false} now={churnQuery(q.current)} before={churnQuery(q.previous)} pick={churnRate} {...common} />
      <Slot id="trust-score" label="Trust score" higherIsBetter now={trustScoreQuery(q.current)} before={trustScoreQuery(q.previous)} pick={trustScore} previousLabel={previousLabel} unit="points" />
    </div>
  );
}

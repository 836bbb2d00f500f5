"use client";

import { useSuspenseQuery, type UseSuspenseQueryOptions } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense } from "react";
import { formatDay, formatPeriod, formatPoints, formatRate } from "@/app/_components/format";
import { startOfMonth } from "@/lib/metrics/buckets";
import {
  churnReading,
  dormantReading,
  notEnoughNote,
  NOT_ENOUGH,
  optInReading,
  reciprocityReading,
  trustIndexIncomparable,
  trustIndexMonths,
  trustIndexReading,
  trustScoreReading,
  withdrawalReading,
  type KpiReading,
} from "@/app/_components/kpi-readings";
import { KpiChange, KpiTile } from "@/app/_components/kpi-tile";
import { useFormats } from "@/app/_components/providers";
import { overallQuery, trustIndexQuery, trustScoreQuery } from "@/app/_components/queries";
import type { QueryParams } from "@/app/_components/query-keys";
import { Boundary, Skeleton } from "@/app/_components/states";
import type { OverallKpi, OverallRate, TrustIndexResponse } from "@/lib/metrics/types";
import { kpiOf } from "@/lib/metrics/overall-rates";
import { KPI_SUMMARIES, type KpiId } from "./kpi-summaries";
import type { overviewQueries } from "./overview-params";

type Options<T> = UseSuspenseQueryOptions<T, Error, T, readonly [string, QueryParams]>;

interface TileProps<T> {
  id: KpiId;
  label: string;
  higherIsBetter: boolean;
  unit: "pp" | "points";
  /** The scale of a score, said next to it: "of 100", "on −100 … 100". */
  scale?: string;
  /** What the value is measured on, for "not enough data": "customers asked". */
  base: string;
  now: Options<T>;
  before: Options<T>;
  pick: (data: T) => KpiReading;
  /** The previous period's reading, from `before`'s answer (the same `pick` unless given). */
  pickBefore?: (data: T) => KpiReading;
  previousLabel: string;
}

/** The value shows as soon as the period's answer arrives; the change follows with the previous period's. */
function Tile<T>(props: TileProps<T>) {
  const f = useFormats();
  const format = (v: number | null) => (props.unit === "points" ? formatPoints(f, v) : formatRate(f, v));
  const current = props.pick(useSuspenseQuery(props.now).data);
  const shown = current.enough ? current.value : null;
  return (
    <KpiTile
      id={props.id}
      label={props.label}
      value={current.enough ? format(current.value) : NOT_ENOUGH}
      scale={current.enough ? props.scale : notEnoughNote(f, current, props.base)}
      enough={current.enough}
      how={<How id={props.id} reading={current} />}
    >
      <Suspense
        fallback={
          <span className="muted" data-loading>
            Comparing with {props.previousLabel}…
          </span>
        }
      >
        <Change {...props} current={shown} format={format} />
      </Suspense>
    </KpiTile>
  );
}

/** "How this number was made": the real counts behind it and its definition. */
function How({ id, reading }: { id: KpiId; reading: KpiReading }) {
  const f = useFormats();
  return (
    <>
      <p data-kpi-counts>{reading.counts(f)}</p>
      <p className="muted">{KPI_SUMMARIES[id]}</p>
      <Link href={`/definitions#${id}`}>Full definition</Link>
    </>
  );
}

function Change<T>({
  before,
  pick,
  pickBefore,
  current,
  format,
  unit,
  higherIsBetter,
  previousLabel,
}: TileProps<T> & { current: number | null; format: (v: number | null) => string }) {
  const previous = (pickBefore ?? pick)(useSuspenseQuery(before).data);
  return (
    <KpiChange
      current={current}
      previous={previous.enough ? previous.value : null}
      format={format}
      unit={unit}
      higherIsBetter={higherIsBetter}
      previousLabel={previousLabel}
    />
  );
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

/** The headline: the Trust Index of the month the period ends in, against the month before. */
function TrustIndexTile({ query }: { query: Options<TrustIndexResponse> }) {
  const f = useFormats();
  const answer = useSuspenseQuery(query).data;
  const { last, prior } = trustIndexMonths(answer);
  const current = trustIndexReading(last);
  const previous = trustIndexReading(prior);
  const lastLabel = last ? formatPeriod(f, last.period, "month") : "";
  const priorLabel = prior ? formatPeriod(f, prior.period, "month") : "the month before";
  // The period's end cuts its last month: say to which day that month's index counts.
  const end = Date.parse(answer.to);
  const cut =
    last && startOfMonth(new Date(end)).getTime() !== end
      ? ` (to ${formatDay(f, new Date(end - 1).toISOString().slice(0, 10))})`
      : "";
  return (
    <KpiTile
      id="trust-index"
      label={last ? `Trust Index, ${lastLabel}${cut}` : "Trust Index"}
      value={current.enough ? formatPoints(f, current.value) : NOT_ENOUGH}
      scale={current.enough ? "of 100" : notEnoughNote(f, current, "components with enough data")}
      enough={current.enough}
      headline
      how={<How id="trust-index" reading={current} />}
    >
      <KpiChange
        current={current.enough ? current.value : null}
        previous={previous.enough ? previous.value : null}
        format={(v) => formatPoints(f, v)}
        unit="points"
        higherIsBetter
        previousLabel={priorLabel}
        incomparable={trustIndexIncomparable(last, prior, lastLabel, priorLabel)}
      />
    </KpiTile>
  );
}

/** The rate tiles: each reads its KPI of the `overall` metric, now and in the period before. */
const RATE_TILES: {
  id: KpiId;
  label: string;
  base: string;
  higherIsBetter: boolean;
  kpi: OverallKpi;
  reading: (r: OverallRate) => KpiReading;
}[] = [
  {
    id: "opt-in-rate",
    label: "Opt-in rate",
    base: "answers",
    higherIsBetter: true,
    kpi: "opt_in_rate",
    reading: optInReading,
  },
  {
    id: "withdrawal-rate",
    label: "Withdrawal rate",
    base: "consents",
    higherIsBetter: false,
    kpi: "withdrawal_rate",
    reading: withdrawalReading,
  },
  {
    id: "reciprocity",
    label: "Reciprocity",
    base: "customers whose data was used",
    higherIsBetter: true,
    kpi: "reciprocity",
    reading: reciprocityReading,
  },
  {
    id: "dormant-share",
    label: "Dormant share",
    base: "holdings",
    higherIsBetter: false,
    kpi: "dormant_share",
    reading: dormantReading,
  },
  {
    id: "churn-rate",
    label: "Churn rate",
    base: "active customers",
    higherIsBetter: false,
    kpi: "churn_rate",
    reading: churnReading,
  },
];

/** The seven KPI tiles: the Trust Index first, then each value for the period and its change against the period before. */
export function KpiStrip({
  q,
  previousLabel,
}: {
  q: ReturnType<typeof overviewQueries>;
  previousLabel: string;
}) {
  const common = { previousLabel, unit: "pp" as const };
  return (
    <div className="kpis" role="list" aria-label="Key figures for the period">
      <div role="listitem" className="kpi-headline-slot">
        <Boundary fallback={<Skeleton height={104} label="Loading the Trust Index" />}>
          <TrustIndexTile query={trustIndexQuery(q.trustIndex)} />
        </Boundary>
      </div>
      {RATE_TILES.map((t) => {
        // Each rate tile's own answer from the API: the period's and the previous period's rate.
        const overall = overallQuery(q.kpi(t.kpi));
        return (
          <Slot
            key={t.id}
            {...t}
            now={overall}
            before={overall}
            pick={(r) => t.reading(kpiOf(r, t.kpi))}
            pickBefore={(r) => t.reading(kpiOf(r, t.kpi).previous)}
            {...common}
          />
        );
      })}
      <Slot
        id="trust-score"
        label="Trust score"
        base="survey responses"
        scale="on a scale of −100 to 100"
        higherIsBetter
        now={trustScoreQuery(q.current)}
        before={trustScoreQuery(q.previous)}
        pick={trustScoreReading}
        previousLabel={previousLabel}
        unit="points"
      />
    </div>
  );
}

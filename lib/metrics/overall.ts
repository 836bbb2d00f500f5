import "server-only";
import type { Db } from "@/db/client";
import { churn } from "./churn";
import { dormantData } from "./dormant-data";
import { optIn } from "./opt-in";
import type { ResolvedParams } from "./params";
import { isoInstant } from "./buckets";
import {
  overallDormantShare,
  overallOptIn,
  overallRate,
  overallReciprocity,
  overallWithdrawal,
} from "./overall-rates";
import { reciprocity } from "./reciprocity";
import type { MetricOptions } from "./scope";
import { OVERALL_KPIS, type OverallKpi, type OverallRate, type OverallResponse } from "./types";
import { withdrawals } from "./withdrawals";

/** The period of equal length that ends where this one starts: what the Overview compares with. */
export function previousPeriod(p: ResolvedParams): ResolvedParams {
  const length = p.to.getTime() - p.from.getTime();
  return { ...p, from: new Date(p.from.getTime() - length), to: p.from, at: p.from };
}

async function overallRates(
  db: Db,
  workspaceId: number,
  p: ResolvedParams,
  options: MetricOptions,
): Promise<Record<OverallKpi, OverallRate>> {
  // Across purposes: a purpose filter of another screen does not narrow the whole-business view.
  const all = { ...p, purpose: undefined, context: undefined, breakdown: undefined };
  const [o, w, r, d, c] = await Promise.all([
    optIn(db, workspaceId, all, options),
    withdrawals(db, workspaceId, all, options),
    reciprocity(db, workspaceId, all, options),
    // Holdings at the end of the period.
    dormantData(db, workspaceId, { ...all, at: p.to }, options),
    churn(db, workspaceId, all, options),
  ]);
  return {
    opt_in_rate: overallOptIn(o),
    withdrawal_rate: overallWithdrawal(w),
    reciprocity: overallReciprocity(r),
    dormant_share: overallDormantShare(d),
    churn_rate: overallRate(c.overall.churned, c.overall.active),
  };
}

/**
 * The Overview's KPIs for the period and the one before it (same length, ending at `from`), with the counts they
 * are made of: the numbers the API, the CLI and the Overview show. The dormant share is at each period's end.
 */
export async function overall(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<OverallResponse> {
  const before = previousPeriod(params);
  // The KPIs are totals over each period: none of the metrics' buckets is read.
  const totals = { ...options, totalsOnly: true };
  const [now, then] = await Promise.all([
    overallRates(db, workspaceId, params, totals),
    overallRates(db, workspaceId, before, totals),
  ]);
  return {
    metric: "overall",
    from: isoInstant(params.from),
    to: isoInstant(params.to),
    previous: { from: isoInstant(before.from), to: isoInstant(before.to) },
    kpis: Object.fromEntries(
      OVERALL_KPIS.map((k) => [k, { ...now[k], previous: then[k] }]),
    ) as OverallResponse["kpis"],
  };
}

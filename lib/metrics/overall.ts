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
import { checkPurposeFilter, type MetricOptions } from "./scope";
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
  kpis: readonly OverallKpi[],
): Promise<Partial<Record<OverallKpi, OverallRate>>> {
  // Across purposes: a purpose filter of another screen does not narrow the whole-business view.
  const all = { ...p, purpose: undefined, context: undefined, breakdown: undefined };
  const rate: Record<OverallKpi, () => Promise<OverallRate>> = {
    opt_in_rate: async () => overallOptIn(await optIn(db, workspaceId, all, options)),
    withdrawal_rate: async () => overallWithdrawal(await withdrawals(db, workspaceId, all, options)),
    reciprocity: async () => overallReciprocity(await reciprocity(db, workspaceId, all, options)),
    // Holdings at the end of the period.
    dormant_share: async () =>
      overallDormantShare(await dormantData(db, workspaceId, { ...all, at: p.to }, options)),
    churn_rate: async () => {
      const c = await churn(db, workspaceId, all, options);
      return overallRate(c.overall.churned, c.overall.active);
    },
  };
  const values = await Promise.all(kpis.map((k) => rate[k]()));
  return Object.fromEntries(kpis.map((k, i) => [k, values[i]]));
}

/**
 * The Overview's KPIs for the period and the one before it (same length, ending at `from`), with the counts they
 * are made of: the numbers the API, the CLI and the Overview show. The dormant share is at each period's end.
 * With `kpi` only that KPI: the Overview asks each tile's on its own, so the first tile fills without waiting for
 * the other four (on the embedded database the reads of every screen take turns, so other screens wait less too).
 */
export async function overall(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<OverallResponse> {
  await checkPurposeFilter(db, workspaceId, params.purpose, options.scope);
  const before = previousPeriod(params);
  // The KPIs are totals over each period: none of the metrics' buckets is read.
  const totals = { ...options, totalsOnly: true };
  const kpis = params.kpi ? [params.kpi] : OVERALL_KPIS;
  const [now, then] = await Promise.all([
    overallRates(db, workspaceId, params, totals, kpis),
    overallRates(db, workspaceId, before, totals, kpis),
  ]);
  return {
    metric: "overall",
    from: isoInstant(params.from),
    to: isoInstant(params.to),
    previous: { from: isoInstant(before.from), to: isoInstant(before.to) },
    kpis: Object.fromEntries(kpis.map((k) => [k, { ...now[k]!, previous: then[k]! }])),
  };
}

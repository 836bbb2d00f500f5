import type { Db } from "@/db/client";
import { effectiveWeights, TRUST_COMPONENTS } from "@/lib/settings/weights";
import { isoInstant } from "./buckets";
import { holdingsAt } from "./dormant-data";
import { dsar } from "./dsar";
import { optIn } from "./opt-in";
import type { ResolvedParams } from "./params";
import { periodPlan, rate } from "./plan";
import { reciprocity } from "./reciprocity";
import { enoughData, MIN_DATA_COMPONENTS } from "./sufficiency";
import { loadScope, reportedPurposes, type MetricOptions } from "./scope";
import { trustScore } from "./trust-score";
import type { TrustComponent, TrustIndexMonth, TrustIndexResponse } from "./types";
import { withdrawals } from "./withdrawals";

const sum = <T>(items: T[], pick: (t: T) => number): number => items.reduce((s, t) => s + pick(t), 0);
const complement = (r: number | null): number | null => (r === null ? null : 1 - r);

/**
 * Trust Index per month (SPEC 4): a weighted mean of seven components in [0, 1], ×100. A component
 * without data is left out and the other weights are renormalised. With `min_sample` (the dashboard's
 * "not enough data" rule) a component measured on fewer customers is left out too, and a month with fewer
 * than MIN_DATA_COMPONENTS components from events has no index (transparency alone is configuration, not
 * a Trust Index). A purpose filter narrows the per-purpose components and the fields; transparency is the
 * workspace's current configuration.
 */
export async function trustIndex(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<TrustIndexResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  if (params.purpose !== undefined) reportedPurposes(scope, params.purpose);
  const monthly: ResolvedParams = {
    ...params,
    granularity: "month",
    context: undefined,
    breakdown: undefined,
  };
  // Components are read per month only: none of their totals over the period is used.
  const opts = { ...options, scope, seriesOnly: true };
  const plan = periodPlan(params.from, params.to, "month");
  const fields = scope.fields.filter(
    (f) => params.purpose === undefined || f.purposes.includes(params.purpose),
  );
  const [asked, kept, valued, rated, requests, inventories] = await Promise.all([
    optIn(db, workspaceId, monthly, opts),
    withdrawals(db, workspaceId, monthly, opts),
    reciprocity(db, workspaceId, monthly, opts),
    trustScore(db, workspaceId, monthly, opts),
    dsar(db, workspaceId, { ...monthly, purpose: undefined }, opts),
    // Data minimisation is read at each month's end: the first instant of the next month, or `to`.
    holdingsAt(
      db,
      scope,
      plan.buckets.map((b) => b.end),
      params,
      fields.map((f) => ({ key: f.key, days: f.dormancyDays })),
      opts,
      false,
    ),
  ]);
  const catalog = [...scope.purposes, ...scope.fields];
  const transparency = rate(catalog.filter((c) => c.status === "declared").length, catalog.length);
  const weights = effectiveWeights(scope.trustWeights);

  const series = plan.buckets.map((b, i): TrustIndexMonth => {
    const at = <T extends { series: object[] }>(entries: T[]) =>
      entries.map((e) => e.series[i] as T["series"][number]);
    const a = at(asked.purposes);
    const k = at(kept.purposes);
    const v = at(valued.purposes);
    const inventory = inventories[i] ?? [];
    const survey = rated.series[i]?.trust_score ?? null;
    const samples: Record<TrustComponent, number> = {
      consent: sum(a, (x) => x.answered),
      retention: sum(k, (x) => x.consenting),
      reciprocity: sum(v, (x) => x.used),
      minimisation: sum(inventory, (h) => h.holdings),
      transparency: catalog.length,
      accountability: requests.requests.total.series[i]?.due ?? 0,
      survey: rated.series[i]?.responses ?? 0,
    };
    const measured: Record<TrustComponent, number | null> = {
      consent: rate(
        sum(a, (x) => x.granted),
        samples.consent,
      ),
      retention: complement(
        rate(
          sum(k, (x) => x.withdrawn),
          samples.retention,
        ),
      ),
      reciprocity: rate(
        sum(v, (x) => x.used_and_valued),
        samples.reciprocity,
      ),
      minimisation: complement(
        rate(
          sum(inventory, (h) => h.dormant),
          samples.minimisation,
        ),
      ),
      transparency,
      accountability: requests.requests.total.series[i]?.on_time_rate ?? null,
      survey: survey === null ? null : (survey + 100) / 200,
    };
    return { period: b.period, ...weigh(measured, samples, weights, params.minSample) };
  });
  return { metric: "trust-index", from: isoInstant(params.from), to: isoInstant(params.to), weights, series };
}

/**
 * SPEC section 4: components without data are left out and the others' weights renormalised. With
 * `minSample` > 0 (the dashboard's "not enough data" rule, sent as `min_sample`), a component measured on
 * fewer than that many is left out too, and a month needs MIN_DATA_COMPONENTS components from events.
 */
function weigh(
  measured: Record<TrustComponent, number | null>,
  samples: Record<TrustComponent, number>,
  weights: Record<TrustComponent, number>,
  minSample: number,
): Omit<TrustIndexMonth, "period"> {
  const notEnough =
    minSample > 0
      ? TRUST_COMPONENTS.filter(
          (c) => c !== "transparency" && measured[c] !== null && !enoughData(samples[c], minSample),
        )
      : [];
  const components = Object.fromEntries(
    TRUST_COMPONENTS.map((c) => [c, notEnough.includes(c) ? null : measured[c]]),
  ) as Record<TrustComponent, number | null>;
  const present = TRUST_COMPONENTS.filter((c) => components[c] !== null);
  const fromEvents = present.filter((c) => c !== "transparency").length;
  const needed = minSample > 0 ? MIN_DATA_COMPONENTS : 0;
  const total = sum(present, (c) => weights[c]);
  const indexed = present.length > 0 && fromEvents >= needed && total > 0;
  const applied: Partial<Record<TrustComponent, number>> = {};
  if (indexed) for (const c of present) applied[c] = weights[c] / total;
  return {
    index: indexed ? 100 * sum(present, (c) => (applied[c] ?? 0) * (components[c] ?? 0)) : null,
    components,
    left_out: TRUST_COMPONENTS.filter((c) => components[c] === null),
    not_enough_data: notEnough,
    samples,
    weights: applied,
  };
}

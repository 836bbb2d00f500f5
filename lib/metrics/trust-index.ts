import type { Db } from "@/db/client";
import { effectiveWeights, TRUST_COMPONENTS } from "@/lib/settings/weights";
import { isoInstant } from "./buckets";
import { holdingsAt } from "./dormant-data";
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
 * Trust Index per month (SPEC 4): a weighted mean of six components in [0, 1], ×100. A component
 * without data, or measured on fewer than MIN_SAMPLE customers (responses, holdings), is left out and
 * the other weights are renormalised; with fewer than MIN_DATA_COMPONENTS components measured from
 * events the month has no index (transparency alone, from the configuration, is not a Trust Index). A purpose filter narrows the
 * per-purpose components and the fields; transparency is the workspace's current configuration.
 */
export async function trustIndex(db: Db, workspaceId: number, params: ResolvedParams, options: MetricOptions = {}): Promise<TrustIndexResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  if (params.purpose !== undefined) reportedPurposes(scope, params.purpose);
  const monthly: ResolvedParams = { ...params, granularity: "month", context: undefined, breakdown: undefined };
  const opts = { ...options, scope };
  const plan = periodPlan(params.from, params.to, "month");
  const fields = scope.fields.filter((f) => params.purpose === undefined || f.purposes.includes(params.purpose));
  const [asked, kept, valued, rated, inventories] = await Promise.all([
    optIn(db, workspaceId, monthly, opts),
    withdrawals(db, workspaceId, monthly, opts),
    reciprocity(db, workspaceId, monthly, opts),
    trustScore(db, workspaceId, monthly, opts),
    // Data minimisation is read at each month's end: the first instant of the next month, or `to`.
    holdingsAt(
      db,
      scope,
      plan.buckets.map((b) => b.end),
      { ...params, cutoff: { before: params.to } },
      fields.map((f) => ({ key: f.key, days: f.dormancyDays })),
      opts,
    ),
  ]);
  const catalog = [...scope.purposes, ...scope.fields];
  const transparency = rate(catalog.filter((c) => c.status === "declared").length, catalog.length);
  const weights = effectiveWeights(scope.trustWeights);

  const series = plan.buckets.map((b, i): TrustIndexMonth => {
    const at = <T extends { series: object[] }>(entries: T[]) => entries.map((e) => e.series[i] as T["series"][number]);
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
      survey: rated.series[i]?.responses ?? 0,
    };
    const measured: Record<TrustComponent, number | null> = {
      consent: rate(sum(a, (x) => x.granted), samples.consent),
      retention: complement(rate(sum(k, (x) => x.withdrawn), samples.retention)),
      reciprocity: rate(sum(v, (x) => x.used_and_valued), samples.reciprocity),
      minimisation: complement(rate(sum(inventory, (h) => h.dormant), samples.minimisation)),
      transparency,
      survey: survey === null ? null : (survey + 100) / 200,
    };
    return { period: b.period, ...weigh(measured, samples, weights) };
  });
  return { metric: "trust-index", from: isoInstant(params.from), to: isoInstant(params.to), weights, series };
}

function weigh(measured: Record<TrustComponent, number | null>, samples: Record<TrustComponent, number>, weights: Record<TrustComponent, number>): Omit<TrustIndexMonth, "period"> {
  const notEnough = TRUST_COMPONENTS.filter((c) => c !== "transparency" && measured[c] !== null && !enoughData(samples[c]));
  const components = Object.fromEntries(TRUST_COMPONENTS.map((c) => [c, notEnough.includes(c) ? null : measured[c]])) as Record<TrustComponent, number | null>;
  const present = TRUST_COMPONENTS.filter((c) => components[c] !== null);
  const fromEvents = present.filter((c) => c !== "transparency").length;
  const total = sum(present, (c) => weights[c]);
  const applied: Partial<Record<TrustComponent, number>> = {};
  if (fromEvents >= MIN_DATA_COMPONENTS) for (const c of present) applied[c] = total === 0 ? 0 : weights[c] / total;
  return {
    index: fromEvents < MIN_DATA_COMPONENTS || total === 0 ? null : 100 * sum(present, (c) => (applied[c] ?? 0) * (components[c] ?? 0)),
    components,
    left_out: TRUST_COMPONENTS.filter((c) => components[c] === null),
    not_enough_data: notEnough,
    samples,
    weights: applied,
  };
}

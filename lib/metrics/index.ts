import type { Db } from "@/db/client";
import { badRequest } from "@/lib/errors";
import { churn } from "./churn";
import { controlEffect } from "./control-effect";
import { dsar } from "./dsar";
import { readFreshness } from "./freshness";
import { fairExchange } from "./fair-exchange";
import { checkFilterValues } from "./filter-values";
import { firstUse } from "./first-use";
import { dormantData } from "./dormant-data";
import { optIn } from "./opt-in";
import { overall } from "./overall";
import { resolveParams, type ResolvedParams } from "./params";
import { reciprocity } from "./reciprocity";
import { catchUpMetricState } from "./state/apply";
import type { MetricOptions } from "./scope";
import { trustIndex } from "./trust-index";
import { trustScore } from "./trust-score";
import {
  METRIC_NAMES,
  type Consistency,
  type MetricName,
  type MetricReading,
  type MetricResponse,
  type MetricResponses,
} from "./types";
import { withdrawals } from "./withdrawals";

export { METRIC_NAMES } from "./types";
export type { MetricName, MetricReading, MetricResponse } from "./types";

type Compute<M extends MetricName> = (
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options?: MetricOptions,
) => Promise<MetricResponses[M]>;

const METRICS: { [M in MetricName]: Compute<M> } = {
  "opt-in": optIn,
  withdrawals,
  reciprocity,
  "dormant-data": dormantData,
  churn,
  "trust-score": trustScore,
  "trust-index": trustIndex,
  dsar,
  "control-effect": controlEffect,
  "first-use": firstUse,
  "fair-exchange": fairExchange,
  overall,
};

export const isMetricName = (name: string): name is MetricName =>
  (METRIC_NAMES as readonly string[]).includes(name);

type ComputeOptions = MetricOptions & { now?: Date };

/**
 * Validates a metric's raw query (HTTP or CLI) without the database: a bad parameter is a 400 naming it. The CLI
 * checks its arguments with it before it opens the database.
 */
export function checkMetricQuery(
  name: string,
  raw: Record<string, string | undefined>,
  now?: Date,
): { name: MetricName; params: ResolvedParams } {
  if (!isMetricName(name))
    throw badRequest(`metric: unknown metric '${name}' (expected one of ${METRIC_NAMES.join(", ")})`);
  const params = resolveParams(raw, now);
  if (name !== "opt-in") {
    if (params.context !== undefined)
      throw badRequest(`context: only the opt-in metric takes a context filter`);
    if (params.breakdown !== undefined) throw badRequest(`breakdown: only the opt-in metric has a breakdown`);
  }
  if (name !== "overall" && params.kpi !== undefined)
    throw badRequest(`kpi: only the overall metric takes a kpi (the Overview's KPIs)`);
  return { name, params };
}

/** `checkMetricQuery`, the filters' values (`checkFilterValues`), then the queue applied for an exact read. */
async function prepare(
  db: Db,
  workspaceId: number,
  asked: string,
  raw: Record<string, string | undefined>,
  options: ComputeOptions,
) {
  const { name, params } = checkMetricQuery(asked, raw, options.now);
  await checkFilterValues(db, workspaceId, params);
  const consistency = await settle(db, workspaceId, options, params.consistency);
  return { compute: METRICS[name] as Compute<MetricName>, params, consistency };
}

/**
 * The consistency of a read (the query's, else the options', else "exact"); an exact read applies every queued
 * event first. Shared by the metrics and the insights built on them.
 */
export async function settle(
  db: Db,
  workspaceId: number,
  options: Pick<MetricOptions, "consistency" | "catchUp">,
  asked?: Consistency,
): Promise<Consistency> {
  const consistency: Consistency = asked ?? options.consistency ?? "exact";
  if (consistency === "exact") await (options.catchUp ?? catchUpMetricState)(db, workspaceId);
  return consistency;
}

/**
 * Computes the metric. Unless the query or `options.consistency` says "applied", every queued event
 * is applied first, so the answer counts every event committed before the call.
 */
export async function computeMetric(
  db: Db,
  workspaceId: number,
  name: string,
  raw: Record<string, string | undefined>,
  options: ComputeOptions = {},
): Promise<MetricResponse> {
  const { compute, params } = await prepare(db, workspaceId, name, raw, options);
  return compute(db, workspaceId, params, options);
}

/** The metric as the API, CLI and screens give it: with `as_of` and `pending_events` (lib/metrics/freshness.ts). */
export async function readMetric(
  db: Db,
  workspaceId: number,
  name: string,
  raw: Record<string, string | undefined>,
  options: ComputeOptions = {},
): Promise<MetricReading> {
  const { compute, params, consistency } = await prepare(db, workspaceId, name, raw, options);
  const freshness = await readFreshness(db, workspaceId, consistency);
  return { ...(await compute(db, workspaceId, params, options)), ...freshness };
}

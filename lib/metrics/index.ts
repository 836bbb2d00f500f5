import type { Db } from "@/db/client";
import { badRequest } from "@/lib/errors";
import { churn } from "./churn";
import { controlEffect } from "./control-effect";
import { dsar } from "./dsar";
import { fairExchange } from "./fair-exchange";
import { firstUse } from "./first-use";
import { dormantData } from "./dormant-data";
import { optIn } from "./opt-in";
import { overall } from "./overall";
import { resolveParams, type ResolvedParams } from "./params";
import { reciprocity } from "./reciprocity";
import type { MetricOptions } from "./scope";
import { trustIndex } from "./trust-index";
import { trustScore } from "./trust-score";
import { METRIC_NAMES, type MetricName, type MetricResponse, type MetricResponses } from "./types";
import { withdrawals } from "./withdrawals";

export { METRIC_NAMES } from "./types";
export type { MetricName, MetricResponse } from "./types";

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

/** Validates a raw query (HTTP or CLI) and computes the metric; a bad parameter is a 400 naming it. */
export async function computeMetric(
  db: Db,
  workspaceId: number,
  name: string,
  raw: Record<string, string | undefined>,
  options: MetricOptions & { now?: Date } = {},
): Promise<MetricResponse> {
  if (!isMetricName(name))
    throw badRequest(`metric: unknown metric '${name}' (expected one of ${METRIC_NAMES.join(", ")})`);
  const params = resolveParams(raw, options.now);
  if (name !== "opt-in") {
    if (params.context !== undefined)
      throw badRequest(`context: only the opt-in metric takes a context filter`);
    if (params.breakdown !== undefined) throw badRequest(`breakdown: only the opt-in metric has a breakdown`);
  }
  return (METRICS[name] as Compute<MetricName>)(db, workspaceId, params, options);
}

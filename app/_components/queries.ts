"use client";

import { queryOptions, useSuspenseQuery } from "@tanstack/react-query";
import type { EventStats } from "@/lib/event-stats";
import type { Catalog } from "@/lib/insights/workspace-names";
import type { ChurnAfterWithdrawal } from "@/lib/insights/churn-after-withdrawal";
import type { DataInventory } from "@/lib/inventory";
import type {
  ChurnResponse,
  ControlEffectResponse,
  DsarResponse,
  FairExchangeResponse,
  FirstUseResponse,
  DormantDataResponse,
  OptInResponse,
  ReciprocityResponse,
  TrustIndexResponse,
  OverallResponse,
  TrustScoreResponse,
  WithdrawalsResponse,
} from "@/lib/metrics/types";
import type { CampaignLaunch } from "@/lib/campaigns/launches";
import type { SuppressionSummary } from "@/lib/suppression/summary";
import { searchOf, type QueryParams } from "./query-keys";
import { isUnavailable } from "./unavailable";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, params: QueryParams, signal?: AbortSignal): Promise<T> {
  // The server prefetches every query a page renders; one that reaches here on the server was not prefetched.
  if (typeof window === "undefined") throw new Error(`${path} was not prefetched`);
  const res = await fetch(`${path}?${searchOf(params)}`, {
    credentials: "same-origin",
    headers: { accept: "application/json" },
    // react-query aborts it when the query is no longer wanted (a filter change replaced it): the server cancels the read.
    signal,
  });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // not JSON: keep the status line
    }
    if (res.status === 401) message = "Your session has ended: sign in again.";
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

/** A prefetched answer that says the read failed on the server is that error here (see unavailable.ts). */
function answerOf<T>(data: T): T {
  if (isUnavailable(data)) throw new ApiError(data.tl_unavailable.status, data.tl_unavailable.message);
  return data;
}

/** Key `[name, params]`; the params are the query string, so the key says exactly what was asked. */
const api = <T>(base: "metrics" | "insights", name: string, params: QueryParams) =>
  queryOptions({
    queryKey: [name, params] as const,
    queryFn: ({ signal }) => getJson<T>(`/api/v1/${base}/${name}`, params, signal),
    select: answerOf<T>,
  });

export const optInQuery = (p: QueryParams) => api<OptInResponse>("metrics", "opt-in", p);
export const withdrawalsQuery = (p: QueryParams) => api<WithdrawalsResponse>("metrics", "withdrawals", p);
export const reciprocityQuery = (p: QueryParams) => api<ReciprocityResponse>("metrics", "reciprocity", p);
export const dormantDataQuery = (p: QueryParams) => api<DormantDataResponse>("metrics", "dormant-data", p);
export const churnQuery = (p: QueryParams) => api<ChurnResponse>("metrics", "churn", p);
export const trustScoreQuery = (p: QueryParams) => api<TrustScoreResponse>("metrics", "trust-score", p);
export const overallQuery = (p: QueryParams) => api<OverallResponse>("metrics", "overall", p);
export const trustIndexQuery = (p: QueryParams) => api<TrustIndexResponse>("metrics", "trust-index", p);
export const dsarQuery = (p: QueryParams) => api<DsarResponse>("metrics", "dsar", p);
export const controlEffectQuery = (p: QueryParams) =>
  api<ControlEffectResponse>("metrics", "control-effect", p);
export const firstUseQuery = (p: QueryParams) => api<FirstUseResponse>("metrics", "first-use", p);
export const fairExchangeQuery = (p: QueryParams) => api<FairExchangeResponse>("metrics", "fair-exchange", p);
export const suppressionSummaryQuery = (p: QueryParams) =>
  api<SuppressionSummary>("insights", "suppression-summary", p);
export const catalogQuery = () => api<Catalog>("insights", "catalog", {});
export const inventoryQuery = (p: QueryParams) => api<DataInventory>("insights", "inventory", p);
export const eventStatsQuery = (p: QueryParams) => api<EventStats>("insights", "event-stats", p);
export const churnAfterWithdrawalQuery = (p: QueryParams) =>
  api<ChurnAfterWithdrawal>("insights", "churn-after-withdrawal", p);
export const campaignLaunchesQuery = (p: QueryParams) =>
  api<CampaignLaunch[]>("insights", "campaign-launches", p);

// Suspense hooks: the server streams each card's HTML as its prefetched answer arrives; inside a <Boundary>.
export const useOptInQuery = (p: QueryParams) => useSuspenseQuery(optInQuery(p)).data;
export const useWithdrawalsQuery = (p: QueryParams) => useSuspenseQuery(withdrawalsQuery(p)).data;
export const useReciprocityQuery = (p: QueryParams) => useSuspenseQuery(reciprocityQuery(p)).data;
export const useDormantDataQuery = (p: QueryParams) => useSuspenseQuery(dormantDataQuery(p)).data;
export const useChurnAfterWithdrawalQuery = (p: QueryParams) =>
  useSuspenseQuery(churnAfterWithdrawalQuery(p)).data;
export const useDsarQuery = (p: QueryParams) => useSuspenseQuery(dsarQuery(p)).data;
export const useControlEffectQuery = (p: QueryParams) => useSuspenseQuery(controlEffectQuery(p)).data;
export const useFirstUseQuery = (p: QueryParams) => useSuspenseQuery(firstUseQuery(p)).data;
export const useCampaignLaunchesQuery = (p: QueryParams) => useSuspenseQuery(campaignLaunchesQuery(p)).data;
/** Prefetched by the dashboard layout for every screen. */
export const useCatalogQuery = () => useSuspenseQuery(catalogQuery()).data;

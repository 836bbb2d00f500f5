"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { searchOf, type QueryParams } from "@/app/_components/query-keys";
import type {
  AudienceCount,
  CampaignDetail,
  CampaignResults,
  CampaignSummary,
  MessagePreview,
} from "@/lib/campaigns/types";

/** Calls `/api/v1/campaigns/<path>`; a failure throws with the server's message. */
export async function campaignsApi<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`/api/v1/campaigns${path}`, {
    method,
    headers:
      body === undefined
        ? { accept: "application/json" }
        : { accept: "application/json", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const payload = (await res.json().catch(() => null)) as { message?: string } | null;
  if (res.status === 401) throw new Error("Your session has ended: sign in again.");
  if (!res.ok) throw new Error(payload?.message ?? `request failed (${res.status})`);
  return payload as T;
}

/** Query keys `[name, params]`, as the pages prefetch them. */
export const campaignKeys = {
  list: ["campaigns", {}] as const,
  detail: (id: string) => ["campaign", { id }] as const,
  results: (id: string) => ["campaign-results", { id }] as const,
};

export const useCampaignsQuery = () =>
  useQuery({ queryKey: campaignKeys.list, queryFn: () => campaignsApi<CampaignSummary[]>("GET", "") });

/** While webhook batches are on their way the page follows them. */
export const useCampaignQuery = (id: string) =>
  useQuery({
    queryKey: campaignKeys.detail(id),
    queryFn: () => campaignsApi<CampaignDetail>("GET", `/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data && q.state.data.delivery.pending > 0 ? 2000 : false),
  });

export const useCampaignResultsQuery = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: campaignKeys.results(id),
    queryFn: () => campaignsApi<CampaignResults>("GET", `/${encodeURIComponent(id)}/results`),
    enabled,
  });

function useLiveQuery<T>(name: string, path: string, params: QueryParams, enabled: boolean) {
  return useQuery({
    queryKey: [name, params],
    queryFn: () => campaignsApi<T>("GET", `${path}?${searchOf(params)}`),
    placeholderData: keepPreviousData,
    enabled,
    staleTime: 0,
  });
}

export const useAudienceQuery = (params: QueryParams, enabled: boolean) =>
  useLiveQuery<AudienceCount>("campaign-audience", "/audience", params, enabled);
export const useMessagePreviewQuery = (params: QueryParams, enabled: boolean) =>
  useLiveQuery<MessagePreview>("campaign-message", "/message", params, enabled);

/**
 * The parameters once they have stopped changing for `ms`: the live counts follow the draft without a request per
 * keystroke. Compared as their query string, so a new object with the same values changes nothing.
 */
export function useSettledParams(params: QueryParams, ms = 350): QueryParams {
  const value = searchOf(params);
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return Object.fromEntries(new URLSearchParams(settled));
}

/** Runs a lifecycle step (`POST /api/v1/campaigns/<id>/<step>`) and refreshes what it changes. */
export function useCampaignStep(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ step, body }: { step: string; body?: unknown }) =>
      campaignsApi<unknown>("POST", `/${encodeURIComponent(id)}/${step}`, body ?? {}),
    onSuccess: () =>
      Promise.all(
        [campaignKeys.detail(id), campaignKeys.results(id), campaignKeys.list].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}

/** Deletes a draft or cancelled campaign (`DELETE /api/v1/campaigns/<id>`), then the list is read again. */
export function useDeleteCampaign(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => campaignsApi<unknown>("DELETE", `/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: campaignKeys.list }),
  });
}

import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { metricPrefetch, prefetchState } from "@/app/_components/prefetch";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { requestsParams } from "./requests-params";
import { RequestsView } from "./requests-view";

export const metadata: Metadata = { title: "Requests · Trustledger" };

export default async function RequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view } = await screenView("requests:read", searchParams);
  const state = prefetchState([metricPrefetch(db, member, "dsar", requestsParams(view))]);
  return (
    <HydrationBoundary state={state}>
      <RequestsView />
    </HydrationBoundary>
  );
}

import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { insightPrefetch, metricPrefetch, prefetchState } from "@/app/_components/prefetch";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { churnQueries } from "./churn-params";
import { ChurnView } from "./churn-view";

export const metadata: Metadata = { title: "Churn · Trustledger" };

export default async function ChurnPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view } = await screenView("metrics:read", searchParams);
  const q = churnQueries(view);
  const state = prefetchState([
    metricPrefetch(db, member, "churn", q.churn),
    insightPrefetch(db, member, "churn-after-withdrawal", q.afterWithdrawal),
    metricPrefetch(db, member, "control-effect", q.controlEffect),
  ]);
  return (
    <HydrationBoundary state={state}>
      <ChurnView />
    </HydrationBoundary>
  );
}

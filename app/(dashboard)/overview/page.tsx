import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { insightPrefetch, metricPrefetch, prefetchState } from "@/app/_components/prefetch";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { OVERALL_KPIS } from "@/lib/metrics/types";
import { overviewQueries } from "./overview-params";
import { OverviewView } from "./overview-view";

export const metadata: Metadata = { title: "Overview · Trustledger" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view } = await screenView("metrics:read", searchParams);
  const q = overviewQueries(view);
  const metric = (name: string, params: Record<string, string>) => metricPrefetch(db, member, name, params);
  // In the order the page reads: the KPIs with their comparisons, the findings, then the twelve-month Trust Index.
  const state = prefetchState([
    ...OVERALL_KPIS.map((kpi) => metric("overall", q.kpi(kpi))),
    metric("trust-score", q.previous),
    metric("opt-in", q.current),
    metric("withdrawals", q.current),
    metric("trust-score", q.current),
    metric("dormant-data", q.dormantNow),
    insightPrefetch(db, member, "churn-after-withdrawal", q.churnAfterWithdrawal),
    metric("dsar", q.churnAfterWithdrawal),
    metric("control-effect", q.churnAfterWithdrawal),
    metric("first-use", q.churnAfterWithdrawal),
    insightPrefetch(db, member, "campaign-launches", q.launches),
    metric("trust-index", q.trustIndex),
  ]);
  return (
    <HydrationBoundary state={state}>
      <OverviewView />
    </HydrationBoundary>
  );
}

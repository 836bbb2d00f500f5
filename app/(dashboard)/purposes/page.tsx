import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { metricPrefetch, prefetchState } from "@/app/_components/prefetch";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { purposesQueries } from "./purposes-params";
import { PurposesView } from "./purposes-view";

export const metadata: Metadata = { title: "Purposes · Trustledger" };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function PurposesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view, known } = await screenView("metrics:read", searchParams);
  const search = await searchParams;
  const q = purposesQueries(
    view,
    { breakdown: one(search.breakdown), context: one(search.context) },
    known.contexts,
  );
  const state = prefetchState([
    metricPrefetch(db, member, "opt-in", q.optIn),
    metricPrefetch(db, member, "opt-in", q.optInBreakdown),
    metricPrefetch(db, member, "withdrawals", q.withdrawals),
    metricPrefetch(db, member, "reciprocity", q.reciprocity),
  ]);
  return (
    <HydrationBoundary state={state}>
      <PurposesView />
    </HydrationBoundary>
  );
}

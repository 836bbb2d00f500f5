import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { metricPrefetch, prefetchState } from "@/app/_components/prefetch";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { viewParams } from "@/app/_components/view";
import { ReciprocityView } from "./reciprocity-view";

export const metadata: Metadata = { title: "Reciprocity · Trustledger" };

export default async function ReciprocityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view } = await screenView("metrics:read", searchParams);
  const state = prefetchState([
    metricPrefetch(db, member, "reciprocity", viewParams(view)),
    metricPrefetch(db, member, "fair-exchange", viewParams(view)),
  ]);
  return (
    <HydrationBoundary state={state}>
      <ReciprocityView />
    </HydrationBoundary>
  );
}

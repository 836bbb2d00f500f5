import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { insightPrefetch, prefetchState } from "@/app/_components/prefetch";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { SuppressionView } from "./suppression-view";

export const metadata: Metadata = { title: "Suppression · Trustledger" };

export default async function SuppressionPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db } = await screenView("suppression:read", searchParams);
  const state = prefetchState([insightPrefetch(db, member, "suppression-summary", {})]);
  return (
    <HydrationBoundary state={state}>
      <SuppressionView />
    </HydrationBoundary>
  );
}

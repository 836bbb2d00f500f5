import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { insightPrefetch, metricPrefetch, prefetchState } from "@/app/_components/prefetch";
import { periodWithFilters } from "@/app/_components/query-keys";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { can } from "@/lib/auth/permissions";
import { InventoryView } from "./inventory-view";

export const metadata: Metadata = { title: "Data inventory · Trustledger" };

export default async function InventoryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view } = await screenView("inventory:read", searchParams);
  const state = prefetchState([
    insightPrefetch(db, member, "inventory", periodWithFilters(view)),
    metricPrefetch(db, member, "first-use", periodWithFilters(view)),
  ]);
  return (
    <HydrationBoundary state={state}>
      <InventoryView canGiveBack={can(member.role, "campaigns:write")} />
    </HydrationBoundary>
  );
}

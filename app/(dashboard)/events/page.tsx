import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { insightPrefetch, prefetchState } from "@/app/_components/prefetch";
import { periodParams } from "@/app/_components/query-keys";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { can } from "@/lib/auth/permissions";
import { EventsView } from "./events-view";

export const metadata: Metadata = { title: "Events · Trustledger" };

export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view } = await screenView("events:read", searchParams);
  const state = prefetchState([
    insightPrefetch(db, member, "event-stats", { ...periodParams(view), granularity: view.granularity }),
  ]);
  return (
    <HydrationBoundary state={state}>
      <EventsView canUpload={can(member.role, "events:write")} />
    </HydrationBoundary>
  );
}

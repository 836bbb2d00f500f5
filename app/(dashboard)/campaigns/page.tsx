import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { prefetchState } from "@/app/_components/prefetch";
import { screenContext } from "@/app/_components/server-context";
import { actorOf } from "@/lib/auth/member";
import { can } from "@/lib/auth/permissions";
import { awaitingApproval, listCampaigns } from "@/lib/campaigns";
import { CampaignList } from "./campaign-list";

export const metadata: Metadata = { title: "Give-back campaigns · Trustledger" };

export default async function CampaignsPage() {
  const { member, db } = await screenContext("campaigns:read");
  const actor = actorOf(member, null);
  const state = prefetchState([["campaigns", {}, () => listCampaigns(db, actor)]]);
  const waiting = await awaitingApproval(db, actor);
  return (
    <HydrationBoundary state={state}>
      <CampaignList canCreate={can(member.role, "campaigns:write")} waiting={waiting} />
    </HydrationBoundary>
  );
}

import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { prefetchState } from "@/app/_components/prefetch";
import { screenContext } from "@/app/_components/server-context";
import { actorOf } from "@/lib/auth/member";
import { can } from "@/lib/auth/permissions";
import { campaignFormOptions, campaignResults, getCampaign } from "@/lib/campaigns";
import { CampaignView } from "./campaign-view";

export const metadata: Metadata = { title: "Give-back campaign · Trustledger" };

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ member, db }, { id }] = await Promise.all([screenContext("campaigns:read"), params]);
  const actor = actorOf(member, null);
  const state = prefetchState([
    ["campaign", { id }, () => getCampaign(db, actor, id)],
    ["campaign-results", { id }, () => campaignResults(db, actor, id)],
  ]);
  const options = can(member.role, "campaigns:write") ? await campaignFormOptions(db, actor) : null;
  return (
    <HydrationBoundary state={state}>
      <CampaignView id={id} options={options} />
    </HydrationBoundary>
  );
}

import "server-only";
import { and, asc, eq, gte, isNotNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { campaigns } from "@/db/schema";

export interface CampaignLaunch {
  id: string;
  name: string;
  launched_at: string;
}

/** Give-back campaigns launched in `[from, to)`, oldest first: the markers on the Overview timeline. */
export async function campaignLaunches(
  db: Db,
  workspaceId: number,
  period: { from: string; to: string },
): Promise<CampaignLaunch[]> {
  const found = await db
    .select({ id: campaigns.id, name: campaigns.name, launchedAt: campaigns.launchedAt })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, workspaceId),
        isNotNull(campaigns.launchedAt),
        gte(campaigns.launchedAt, new Date(period.from)),
        lt(campaigns.launchedAt, new Date(period.to)),
      ),
    )
    .orderBy(asc(campaigns.launchedAt));
  return found.flatMap((c) =>
    c.launchedAt ? [{ id: c.id, name: c.name, launched_at: c.launchedAt.toISOString() }] : [],
  );
}

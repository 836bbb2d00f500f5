import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fields, purposes } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { filterOptions } from "@/lib/metrics/filter-values";
import { DEFAULT_TEMPLATES } from "./message";
import type { CampaignAction } from "./types";

export interface CampaignFormOptions {
  fields: { key: string; name: string; dormancy_days: number }[];
  purposes: { key: string; name: string }[];
  regions: string[];
  channels: string[];
  templates: Record<CampaignAction, string>;
}

/** What the create and edit forms offer: the catalog, the regions and channels seen, the default messages. */
export async function campaignFormOptions(db: Db, actor: Actor): Promise<CampaignFormOptions> {
  authorize(actor, "campaigns:write");
  const fs = await db
    .select({ key: fields.key, name: fields.name, dormancy_days: fields.dormancyDays })
    .from(fields)
    .where(eq(fields.workspaceId, actor.workspaceId))
    .orderBy(asc(fields.key));
  const ps = await db
    .select({ key: purposes.key, name: purposes.name })
    .from(purposes)
    .where(eq(purposes.workspaceId, actor.workspaceId))
    .orderBy(asc(purposes.key));
  const options = await filterOptions(db, actor.workspaceId);
  return {
    fields: fs,
    purposes: ps,
    regions: options.regions,
    channels: options.channels,
    templates: DEFAULT_TEMPLATES,
  };
}

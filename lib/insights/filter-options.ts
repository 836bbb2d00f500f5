import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";

export interface FilterOptions {
  regions: string[];
  channels: string[];
  contexts: string[];
}

// A scan of the events table for values that rarely change: every filter bar asks, so the answer is kept a while.
const CACHE_MS = 5 * 60_000;
const cache = new Map<string, { at: number; options: FilterOptions }>();

/** The regions, channels and journey steps (contexts of consent events) seen in the workspace's events. */
export async function filterOptions(db: Db, workspaceId: number): Promise<FilterOptions> {
  const key = `${workspaceId}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.options;
  const seen = await rows<{ region: string | null; channel: string | null; context: string | null }>(
    db,
    sql`SELECT region, channel, CASE WHEN type LIKE 'consent.%' THEN context END AS context
        FROM events WHERE workspace_id = ${workspaceId} GROUP BY 1, 2, 3`,
  );
  const distinct = (pick: (r: (typeof seen)[number]) => string | null) =>
    [...new Set(seen.flatMap((r) => pick(r) ?? []))].sort();
  const options = {
    regions: distinct((r) => r.region),
    channels: distinct((r) => r.channel),
    contexts: distinct((r) => r.context),
  };
  cache.set(key, { at: Date.now(), options });
  return options;
}

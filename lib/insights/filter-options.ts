import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { EventDimension } from "@/db/schema";

export interface FilterOptions {
  regions: string[];
  channels: string[];
  contexts: string[];
}

/**
 * The regions, channels and journey steps (contexts of consent events) seen in the workspace's events: from
 * `event_dimension_values`, which ingestion keeps current in each batch's transaction (a value appears with the
 * batch that first brings it; none is removed when events are erased).
 */
export async function filterOptions(db: Db, workspaceId: number): Promise<FilterOptions> {
  const seen = await rows<{ dimension: EventDimension; value: string }>(
    db,
    sql`SELECT dimension, value FROM event_dimension_values WHERE workspace_id = ${workspaceId}`,
  );
  const of = (dimension: EventDimension) =>
    seen
      .filter((r) => r.dimension === dimension)
      .map((r) => r.value)
      .sort();
  return { regions: of("region"), channels: of("channel"), contexts: of("context") };
}

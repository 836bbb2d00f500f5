import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { EventDimension } from "@/db/schema";
import { badRequest } from "@/lib/errors";
import { quoted, someOf } from "@/lib/events/text";

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

/**
 * A region, channel or context filter whose value no event of the workspace ever had is a 400 naming it and the
 * values there are, as an unknown purpose is: it would keep nobody, and every number would read as a collapse to
 * zero (a link with `region=UK` where the events say `GB`). One probe of `event_dimension_values` per filter given.
 */
export async function checkFilterValues(
  db: Db,
  workspaceId: number,
  filters: { region?: string; channel?: string; context?: string },
): Promise<void> {
  const asked = (["region", "channel", "context"] as const).filter((d) => filters[d] !== undefined);
  if (!asked.length) return;
  const known = await rows<{ dimension: EventDimension }>(
    db,
    sql`SELECT dimension FROM event_dimension_values
        WHERE workspace_id = ${workspaceId} AND (dimension, value) IN (${sql.join(
          asked.map((d) => sql`(${d}, ${filters[d] as string})`),
          sql`, `,
        )})`,
  );
  const unknown = asked.find((d) => !known.some((k) => k.dimension === d));
  if (!unknown) return;
  const options = await filterOptions(db, workspaceId);
  const values = { region: options.regions, channel: options.channels, context: options.contexts }[unknown];
  const what = unknown === "context" ? "consent event was asked in context" : `event has ${unknown}`;
  throw badRequest(
    `${unknown}: no ${what} '${quoted(filters[unknown] as string)}' in this workspace${values.length ? ` (seen: ${someOf(values)})` : ` (none seen yet)`}`,
  );
}

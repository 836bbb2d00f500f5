import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fields, purposes } from "@/db/schema";
import { filterOptions } from "@/lib/metrics/filter-values";

export interface Catalog {
  purposes: { key: string; name: string; status: string }[];
  fields: { key: string; name: string; status: string; sensitivity: string }[];
  /**
   * The regions, channels and journey steps (contexts of consent events) the workspace's events have: a link's
   * filters are checked against them (readView, the Purposes screen's context).
   */
  regions: string[];
  channels: string[];
  contexts: string[];
}

/** Names for the keys that metrics return, and whether each is declared; the regions, channels and journey steps seen. */
export async function catalog(db: Db, workspaceId: number): Promise<Catalog> {
  // Three small reads that every screen waits for: sent together, not one after the other.
  const [ps, fs, { regions, channels, contexts }] = await Promise.all([
    db
      .select({ key: purposes.key, name: purposes.name, status: purposes.status })
      .from(purposes)
      .where(eq(purposes.workspaceId, workspaceId))
      .orderBy(asc(purposes.key)),
    db
      .select({ key: fields.key, name: fields.name, status: fields.status, sensitivity: fields.sensitivity })
      .from(fields)
      .where(eq(fields.workspaceId, workspaceId))
      .orderBy(asc(fields.key)),
    filterOptions(db, workspaceId),
  ]);
  return { purposes: ps, fields: fs, regions, channels, contexts };
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { isoInstant } from "@/lib/metrics/buckets";
import { UNKNOWN_SOURCE } from "@/lib/metrics/state/measures";

export interface SuppressionCounts {
  purpose: string;
  /** Subjects on the list: denied plus withdrawn. */
  count: number;
  denied: number;
  withdrawn: number;
  /** By the source of the event that put them on it ("unknown" without one); only sources that occur. */
  by_source: Record<string, number>;
}

export interface SuppressionSummary {
  at: string;
  purposes: SuppressionCounts[];
}

/**
 * How many subjects each purpose's suppression list holds at `at`, and why (by state and source):
 * counts only, no subject, so every role that reads metrics may see them.
 */
export async function suppressionSummary(db: Db, workspaceId: number, at: Date): Promise<SuppressionSummary> {
  const found = await rows<{ purpose: string; type: string; source: string; n: unknown }>(
    db,
    sql`SELECT s.purpose, s.type, coalesce(s.source, ${UNKNOWN_SOURCE}) AS source, count(*) AS n
        FROM (SELECT DISTINCT ON (e.purpose, e.subject) e.purpose, e.type, e.source FROM events e
              WHERE e.workspace_id = ${workspaceId} AND e.type IN ('consent.granted', 'consent.denied', 'consent.withdrawn')
                AND e.subject IS NOT NULL AND e.occurred_at <= ${at.toISOString()}::timestamptz
              ORDER BY e.purpose, e.subject, e.occurred_at DESC, e.seq DESC) s
        WHERE s.type IN ('consent.denied', 'consent.withdrawn')
        GROUP BY 1, 2, 3`,
  );
  const purposes = await rows<{ key: string }>(
    db,
    sql`SELECT key FROM purposes WHERE workspace_id = ${workspaceId} ORDER BY key`,
  );
  return {
    at: isoInstant(at),
    purposes: purposes.map(({ key }) => {
      const own = found.filter((r) => r.purpose === key);
      const total = (type: string) => own.filter((r) => r.type === type).reduce((s, r) => s + Number(r.n), 0);
      const bySource: Record<string, number> = {};
      for (const r of own) bySource[r.source] = (bySource[r.source] ?? 0) + Number(r.n);
      const denied = total("consent.denied");
      const withdrawn = total("consent.withdrawn");
      return {
        purpose: key,
        count: denied + withdrawn,
        denied,
        withdrawn,
        by_source: Object.fromEntries(Object.entries(bySource).sort(([a], [b]) => (a < b ? -1 : 1))),
      };
    }),
  };
}

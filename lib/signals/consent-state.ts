import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { ConsentState } from "./to-events";

/** A subject's consent for one purpose: the latest consent event's state and when it occurred (ISO, UTC, ms). */
export interface LatestConsent {
  state: Exclude<ConsentState, "never_asked">;
  at: string;
}

export interface ConsentProbe {
  subject: string;
  /** ISO-8601 UTC as `Date.toISOString` writes it. */
  at: string;
}

export const probeKey = (p: ConsentProbe) => `${p.subject}\u0000${p.at}`;

/**
 * The consent state per purpose of each probed subject at each probed instant: the latest consent.* event per
 * purpose with occurred_at at or before it, in event order (occurred_at, then arrival). One statement for the
 * whole batch; keyed by `probeKey`, a purpose absent from the inner map was never asked.
 */
export async function consentStatesAt(
  db: Db,
  workspaceId: number,
  probes: readonly ConsentProbe[],
): Promise<Map<string, Map<string, LatestConsent>>> {
  const states = new Map<string, Map<string, LatestConsent>>();
  const unique = [...new Map(probes.map((p) => [probeKey(p), p])).values()];
  if (!unique.length) return states;
  // Sorted so that the planner walks events_subject_order_idx subject by subject.
  unique.sort((a, b) =>
    a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.at < b.at ? -1 : a.at > b.at ? 1 : 0,
  );
  const found = await rows<{
    subject: string;
    probe_at: string;
    purpose: string;
    type: string;
    occurred_at: string;
  }>(
    db,
    sql`SELECT DISTINCT ON (p.subject, p.at, e.purpose)
          p.subject, p.at AS probe_at, e.purpose, e.type,
          to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at
        FROM jsonb_to_recordset(${JSON.stringify(unique)}::jsonb) AS p(subject text, at text)
        JOIN events e ON e.workspace_id = ${workspaceId}::bigint AND e.subject = p.subject AND e.occurred_at <= p.at::timestamptz
          AND e.type IN ('consent.granted', 'consent.denied', 'consent.withdrawn')
        ORDER BY p.subject, p.at, e.purpose, e.occurred_at DESC, e.seq DESC`,
  );
  for (const r of found) {
    const key = probeKey({ subject: r.subject, at: r.probe_at });
    let perPurpose = states.get(key);
    if (!perPurpose) states.set(key, (perPurpose = new Map()));
    perPurpose.set(r.purpose, {
      state: r.type.slice("consent.".length) as LatestConsent["state"],
      at: r.occurred_at,
    });
  }
  return states;
}

import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { settle } from "@/lib/metrics";
import { DAY_MS, dayNumber, isoInstant } from "@/lib/metrics/buckets";
import { ts } from "@/lib/metrics/reference/sql";
import { appliedEventSql } from "@/lib/metrics/freshness";
import { LISTED_EVENTS } from "@/lib/metrics/rules/event-types";
import { loadScope, type MetricOptions } from "@/lib/metrics/scope";
import { SUPPRESSED_MEASURE, suppressionOfDim, UNKNOWN_SOURCE } from "@/lib/metrics/state/measures";
import { CONSENT_TYPES, LISTED } from "./index";

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

type Counted = { purpose: string; type: string; source: string; n: unknown };

/**
 * How many subjects each purpose's suppression list holds at `at`, and why (by state and source):
 * counts only, no subject, so every role that reads metrics may see them. From the rollups (SUPPRESSED_MEASURE) at
 * the day boundary at or before `at`, with the customers whose consent changed between it and `at` moved from
 * their state at the boundary to their state at `at`; from the events when the rollups are not complete (or with
 * `path: "reference"`). Like a metric it counts the applied events unless asked "exact" (the default for server
 * code; the screen asks "applied").
 */
export async function suppressionSummary(
  db: Db,
  workspaceId: number,
  at: Date,
  options: Pick<MetricOptions, "consistency" | "catchUp" | "path"> = {},
): Promise<SuppressionSummary> {
  await settle(db, workspaceId, options);
  const scope = await loadScope(db, workspaceId);
  const found =
    scope.rollupsReady && options.path !== "reference"
      ? await fromRollups(db, workspaceId, at)
      : await fromEvents(db, workspaceId, at);
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

/** Each subject's latest consent event per purpose at or before `at`, from the events: one pass over them all. */
function fromEvents(db: Db, workspaceId: number, at: Date): Promise<Counted[]> {
  return rows<Counted>(
    db,
    sql`SELECT s.purpose, s.type, coalesce(s.source, ${UNKNOWN_SOURCE}) AS source, count(*) AS n
        FROM (SELECT DISTINCT ON (e.purpose, e.subject) e.purpose, e.type, e.source FROM events e
              WHERE e.workspace_id = ${workspaceId} AND e.type IN ${CONSENT_TYPES}
                AND e.subject IS NOT NULL AND e.occurred_at <= ${ts(at)}
              ORDER BY e.purpose, e.subject, e.occurred_at DESC, e.seq DESC) s
        WHERE s.type IN ${LISTED}
        GROUP BY 1, 2, 3`,
  );
}

/**
 * The rollups' counts at the day boundary at or before `at`, plus, for each customer and purpose with a consent
 * event after the boundary and at or before `at` (one day's at most), −1 for its state at the boundary and +1 for
 * its state at `at`. The events still queued for the rollups are left out of the lookups, as the rollups leave
 * them out.
 */
async function fromRollups(db: Db, workspaceId: number, at: Date): Promise<Counted[]> {
  const boundary = dayNumber(at.getTime());
  const boundaryAt = ts(new Date(boundary * DAY_MS));
  const stateAt = (when: SQL) =>
    sql`(SELECT ARRAY[e.type, coalesce(e.source, ${UNKNOWN_SOURCE})] FROM events e
         WHERE e.workspace_id = ${workspaceId} AND e.subject = c.subject AND e.purpose = c.purpose
           AND e.type IN ${CONSENT_TYPES} AND e.occurred_at <= ${when}${appliedEventSql("e")}
         ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1)`;
  const [tallied, moved] = await Promise.all([
    rows<{ purpose: string; dim: string; n: unknown }>(
      db,
      sql`SELECT t.key AS purpose, t.dim, sum(t.n) AS n FROM metric_tally t
          WHERE t.workspace_id = ${workspaceId} AND t.grain = 'day' AND t.measure = ${SUPPRESSED_MEASURE} AND t.x <= ${boundary}
          GROUP BY 1, 2`,
    ),
    rows<{ purpose: string; before: string[] | null; after: string[] | null }>(
      db,
      sql`SELECT c.purpose, ${stateAt(boundaryAt)} AS before, ${stateAt(ts(at))} AS after
          FROM (SELECT DISTINCT e.purpose, e.subject FROM events e
                WHERE e.workspace_id = ${workspaceId} AND e.type IN ${CONSENT_TYPES} AND e.subject IS NOT NULL
                  AND e.occurred_at > ${boundaryAt} AND e.occurred_at <= ${ts(at)}${appliedEventSql("e")}) c`,
    ),
  ]);
  const counts = new Map<string, Counted & { n: number }>();
  const add = (purpose: string, type: string, source: string, n: number) => {
    const key = JSON.stringify([purpose, type, source]);
    const c = counts.get(key) ?? { purpose, type, source, n: 0 };
    c.n += n;
    counts.set(key, c);
  };
  for (const t of tallied) {
    const { type, source } = suppressionOfDim(t.dim);
    add(t.purpose, type, source, Number(t.n));
  }
  const suppressing = new Set<string>(LISTED_EVENTS);
  for (const m of moved) {
    if (m.before && suppressing.has(m.before[0]!)) add(m.purpose, m.before[0]!, m.before[1]!, -1);
    if (m.after && suppressing.has(m.after[0]!)) add(m.purpose, m.after[0]!, m.after[1]!, 1);
  }
  return [...counts.values()].filter((c) => c.n !== 0);
}

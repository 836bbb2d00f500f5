import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { eventFilters, keptInWindow, purposeCondition, ts, type EventFilters } from "./sql";

/**
 * (i, purpose, subject) of the subjects of window i who had an event of `type` for the purpose
 * in it. Expects the windows as `w` (and `fs` with a region/channel filter: `windowsCte`).
 */
export function subjectsWithEvent(workspaceId: number, type: string, p: EventFilters): SQL {
  return sql`SELECT DISTINCT w.i, e.purpose, e.subject FROM events e JOIN w ON e.occurred_at >= w.s AND e.occurred_at < w.e
    WHERE e.workspace_id = ${workspaceId} AND e.type = ${type} AND e.subject IS NOT NULL${eventFilters(p)}`;
}

/**
 * (i, purpose, subject) of the consenting subjects of window i (SPEC 4, C): consent state
 * `granted` at its start, or a `consent.granted` in it. Each consent event opens a state interval
 * [t, t_next) in event order; C holds the subjects with a granted interval that starts before the
 * window's end and does not end before its start (t_next = s: an event at s is not "at from").
 */
export function consentingSubjects(workspaceId: number, p: EventFilters): SQL {
  return sql`SELECT DISTINCT w.i, iv.purpose, iv.subject
    FROM (SELECT e.purpose, e.subject, e.type, e.occurred_at AS t,
            lead(e.occurred_at) OVER (PARTITION BY e.purpose, e.subject ORDER BY e.occurred_at, e.seq) AS t_next
          FROM events e
          WHERE e.workspace_id = ${workspaceId} AND e.type IN ('consent.granted', 'consent.denied', 'consent.withdrawn')
            AND e.subject IS NOT NULL AND e.occurred_at < ${ts(p.to)}${purposeCondition(p.purpose)}) iv
    JOIN w ON iv.t < w.e AND (iv.t_next IS NULL OR iv.t_next >= w.s)
    WHERE iv.type = 'consent.granted'${keptInWindow(p, sql`w.i`, sql`iv.subject`)}`;
}

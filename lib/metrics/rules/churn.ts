import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { CHURN_EVENT } from "./event-types";

/**
 * SPEC 4, churn: a subject is active at an instant when its first event is before it and it has no churn before
 * it; it churns in [from, to) when active at `from` and its first churn falls in the period. Written once here as
 * SQL for the raw-event reference of the churn metric, the campaign results and the insights; the rollup rows
 * (state/contributions.ts, `activeRows`) count the same rule in whole buckets.
 */

/**
 * Per subject: `subject`, `first_at` (its first event) and `churned_at` (its first churn), from the workspace's
 * events that also satisfy `where` (e.g. ` AND e.occurred_at < …`, ` AND e.subject IN (…)`; events alias `e`),
 * and any `more` aggregate columns (`, min(…) AS …`).
 */
export const subjectLivesSql = (workspaceId: number, where: SQL = sql``, more: SQL = sql``): SQL =>
  sql`SELECT e.subject, min(e.occurred_at) AS first_at, min(e.occurred_at) FILTER (WHERE e.type = ${sql.raw(`'${CHURN_EVENT}'`)}) AS churned_at${more}
      FROM events e WHERE e.workspace_id = ${workspaceId} AND e.subject IS NOT NULL${where}
      GROUP BY e.subject`;

/** Active at `at`, for a row `lives` of subjectLivesSql. */
export const activeAtSql = (lives: string, at: SQL): SQL =>
  sql`${sql.raw(lives)}.first_at < ${at} AND (${sql.raw(lives)}.churned_at IS NULL OR ${sql.raw(lives)}.churned_at >= ${at})`;

/** Active at `from` and churned before `to`, for a row `lives` of subjectLivesSql. */
export const churnedInSql = (lives: string, from: SQL, to: SQL): SQL =>
  sql`${activeAtSql(lives, from)} AND ${sql.raw(lives)}.churned_at < ${to}`;

/**
 * The same rule for one subject (`subject`: a column of the outer query), from its own events (a range of
 * `events_subject_order_idx`): it has an event before `at` and no churn before it. For a few subjects at a time
 * (the churn-after-withdrawal insight's withdrawers), where subjectLivesSql would group every subject's events.
 * `where` narrows the events looked at (alias `e`), as in subjectLivesSql.
 */
export const subjectActiveAtSql = (workspaceId: number, subject: SQL, at: SQL, where: SQL = sql``): SQL =>
  sql`EXISTS (SELECT 1 FROM events e WHERE e.workspace_id = ${workspaceId} AND e.subject = ${subject} AND e.occurred_at < ${at}${where})
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.workspace_id = ${workspaceId} AND e.subject = ${subject}
        AND e.type = ${sql.raw(`'${CHURN_EVENT}'`)} AND e.occurred_at < ${at}${where})`;

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { subjectFilter, type SubjectFilters } from "@/lib/metrics/reference/sql";
import { activeAtSql, subjectLivesSql } from "@/lib/metrics/rules/churn";

export interface ChurnGroup {
  active: number;
  churned: number;
  churn_rate: number | null;
}

/**
 * Do customers leave after they take back a consent? The subjects active at `from` (as for the churn metric, and
 * with its region and channel filters) split by whether they withdrew any consent in the period; for those who
 * did, only a churn after their first withdrawal counts.
 */
export interface ChurnAfterWithdrawal {
  from: string;
  to: string;
  withdrew: ChurnGroup;
  did_not_withdraw: ChurnGroup;
  /** Median days from the first withdrawal to the churn, over the subjects who churned after one; null if none did. */
  median_days_to_churn: number | null;
}

const group = (active: number, churned: number): ChurnGroup => ({
  active,
  churned,
  churn_rate: active === 0 ? null : churned / active,
});

export async function churnAfterWithdrawal(
  db: Db,
  workspaceId: number,
  period: { from: string; to: string } & SubjectFilters,
): Promise<ChurnAfterWithdrawal> {
  const from = new Date(period.from).toISOString();
  const to = new Date(period.to).toISOString();
  const result = await rows<{
    withdrew: boolean;
    active: string | number;
    churned: string | number;
    median_days: string | number | null;
  }>(
    db,
    sql`WITH s AS (${subjectLivesSql(workspaceId, sql` AND e.occurred_at < ${from}::timestamptz`)}),
        active AS (
          SELECT s.subject FROM s WHERE ${activeAtSql("s", sql`${from}::timestamptz`)}
            ${subjectFilter(workspaceId, period, { before: new Date(to) }, sql`s.subject`)}
        ),
        withdrawal AS (
          SELECT subject, min(occurred_at) AS at FROM events
          WHERE workspace_id = ${workspaceId} AND type = 'consent.withdrawn'
            AND occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz
          GROUP BY subject
        ),
        churn AS (
          SELECT subject, min(occurred_at) AS at FROM events
          WHERE workspace_id = ${workspaceId} AND type = 'customer.churned'
            AND occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz
          GROUP BY subject
        ),
        classified AS (
          SELECT w.at IS NOT NULL AND (c.at IS NULL OR w.at <= c.at) AS withdrew, c.at AS churned_at, w.at AS withdrew_at
          FROM active a LEFT JOIN withdrawal w ON w.subject = a.subject LEFT JOIN churn c ON c.subject = a.subject
        )
        SELECT withdrew, count(*) AS active, count(churned_at) AS churned,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM churned_at - withdrew_at) / 86400)
            FILTER (WHERE withdrew AND churned_at IS NOT NULL) AS median_days
        FROM classified GROUP BY withdrew`,
  );
  const of = (withdrew: boolean) => result.find((r) => r.withdrew === withdrew);
  const w = of(true);
  const n = of(false);
  return {
    from: period.from,
    to: period.to,
    withdrew: group(Number(w?.active ?? 0), Number(w?.churned ?? 0)),
    did_not_withdraw: group(Number(n?.active ?? 0), Number(n?.churned ?? 0)),
    median_days_to_churn:
      w?.median_days === null || w?.median_days === undefined ? null : Number(w.median_days),
  };
}

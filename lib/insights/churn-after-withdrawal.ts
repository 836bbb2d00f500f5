import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { settle } from "@/lib/metrics";
import { churnTotals } from "@/lib/metrics/churn";
import { appliedEventSql } from "@/lib/metrics/freshness";
import { resolveParams } from "@/lib/metrics/params";
import { checkFilterValues } from "@/lib/metrics/filter-values";
import { attributesAt, subjectFilter, ts, type SubjectFilters } from "@/lib/metrics/reference/sql";
import { CHURN_EVENT, WITHDRAWN_EVENT } from "@/lib/metrics/rules/event-types";
import { activeAtSql, subjectActiveAtSql, subjectLivesSql } from "@/lib/metrics/rules/churn";
import { checkPurposeFilter, type MetricOptions } from "@/lib/metrics/scope";

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

/**
 * Never a pass over every customer: the active and churned totals are the churn metric's (its rollups), and only
 * the customers who withdrew in the period are looked up one by one (their first withdrawal and churn from the
 * period's withdrawals and churns; whether they were active at its start, their region and channel from their own
 * events); the customers who did not withdraw are the rest. When the totals come from the rollups, the events still waiting for them are left out
 * of the lookups too, so both sides count the same events.
 */
export async function churnAfterWithdrawal(
  db: Db,
  workspaceId: number,
  period: { from: string; to: string; purpose?: string } & SubjectFilters,
  options: Pick<MetricOptions, "consistency" | "catchUp" | "path"> = {},
): Promise<ChurnAfterWithdrawal> {
  await checkFilterValues(db, workspaceId, period);
  // It counts every consent, yet an unknown purpose filter is a 400 as in every metric.
  await checkPurposeFilter(db, workspaceId, period.purpose);
  const consistency = await settle(db, workspaceId, options);
  if (options.path === "reference") return fromEvents(db, workspaceId, period);
  const params = resolveParams({
    from: period.from,
    to: period.to,
    region: period.region,
    channel: period.channel,
  });
  const totals = await churnTotals(db, workspaceId, params, { consistency });
  const from = ts(params.from);
  const to = ts(params.to);
  const counted = (alias: string) => (totals.fromRollups ? appliedEventSql(alias) : sql``);
  const [w] = await rows<{
    active: string | number;
    churned: string | number;
    median_days: string | number | null;
  }>(
    db,
    sql`WITH wd AS (
          SELECT w.subject, min(w.occurred_at) AS withdrew_at FROM events w
          WHERE w.workspace_id = ${workspaceId} AND w.type = ${WITHDRAWN_EVENT} AND w.subject IS NOT NULL
            AND w.occurred_at >= ${from} AND w.occurred_at < ${to}${counted("w")}
          GROUP BY w.subject
        ),
        c AS (
          SELECT c.subject, min(c.occurred_at) AS churned_at FROM events c
          WHERE c.workspace_id = ${workspaceId} AND c.type = ${CHURN_EVENT} AND c.subject IS NOT NULL
            AND c.occurred_at >= ${from} AND c.occurred_at < ${to}${counted("c")}
          GROUP BY c.subject
        ),
        withdrew AS (
          SELECT wd.subject, wd.withdrew_at, c.churned_at FROM wd LEFT JOIN c ON c.subject = wd.subject
          WHERE (c.churned_at IS NULL OR wd.withdrew_at <= c.churned_at)
            AND ${subjectActiveAtSql(workspaceId, sql`wd.subject`, from, counted("e"))}
            ${attributesAt(workspaceId, params, to, sql`wd.subject`, "before")}
        )
        SELECT count(*) AS active, count(churned_at) AS churned,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM churned_at - withdrew_at) / 86400)
            FILTER (WHERE churned_at IS NOT NULL) AS median_days
        FROM withdrew`,
  );
  const withdrewActive = Number(w?.active ?? 0);
  const withdrewChurned = Number(w?.churned ?? 0);
  return {
    from: period.from,
    to: period.to,
    withdrew: group(withdrewActive, withdrewChurned),
    did_not_withdraw: group(totals.active - withdrewActive, totals.churned - withdrewChurned),
    median_days_to_churn: median(w?.median_days),
  };
}

const median = (days: string | number | null | undefined): number | null =>
  days === null || days === undefined ? null : Number(days);

/**
 * The reference: every customer's first event and churn from the events before `from`, every withdrawal and churn
 * of the period, as SPEC 4 reads. A pass over the history: for the tests and benchmarks, which check the insight
 * against it.
 */
async function fromEvents(
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
          WHERE workspace_id = ${workspaceId} AND type = ${WITHDRAWN_EVENT}
            AND occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz
          GROUP BY subject
        ),
        churn AS (
          SELECT subject, min(occurred_at) AS at FROM events
          WHERE workspace_id = ${workspaceId} AND type = ${CHURN_EVENT}
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
    median_days_to_churn: median(w?.median_days),
  };
}

import "server-only";
import { and, asc, eq, ne, sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { purposes, type Campaign } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { compareProportions, compareTrust, proportion, trustGroup } from "./stats";
import { activeAtSql, churnedInSql, subjectLivesSql } from "@/lib/metrics/rules/churn";
import { campaignRow } from "./store";
import { RESULT_HORIZONS, type CampaignResults, type HorizonResult } from "./types";
import { num } from "./values";

const DAY_MS = 86_400_000;

interface GroupRow {
  days: unknown;
  holdout: boolean;
  n: unknown;
  x?: unknown;
  promoters?: unknown;
  detractors?: unknown;
}

type ByGroup = Map<number, { recipients?: GroupRow; holdout?: GroupRow }>;

function byHorizon(found: GroupRow[]): ByGroup {
  const map: ByGroup = new Map();
  for (const r of found) {
    const days = num(r.days);
    const entry = map.get(days) ?? {};
    entry[r.holdout ? "holdout" : "recipients"] = r;
    map.set(days, entry);
  }
  return map;
}

/**
 * The outcome queries of one campaign, each over its frozen recipients `r` and the elapsed windows
 * `h(days, until)` = `[launched_at, until)`, grouped by window and group (contacted or holdout).
 */
function outcomeQueries(c: Campaign, launchedAt: string, windows: SQL) {
  const ws = c.workspaceId;
  const base = sql`r AS (SELECT subject, holdout FROM campaign_recipients WHERE workspace_id = ${ws} AND campaign_id = ${c.id}),
    h(days, until) AS (VALUES ${windows})`;
  const launched = sql`${launchedAt}::timestamptz`;
  const inWindow = sql`e.workspace_id = ${ws} AND e.subject = r.subject AND e.occurred_at >= ${launchedAt}::timestamptz AND e.occurred_at < h.until`;
  return {
    // The churn metric's rule (lib/metrics/rules/churn.ts): active at the launch, churned before the window's end.
    churn: sql`WITH ${base},
      s AS (${subjectLivesSql(ws, sql` AND e.subject IN (SELECT subject FROM r)`)}),
      active AS (SELECT r.holdout, s.* FROM r JOIN s ON s.subject = r.subject WHERE ${activeAtSql("s", launched)})
      SELECT h.days, s.holdout, count(*) AS n, count(*) FILTER (WHERE ${churnedInSql("s", launched, sql`h.until`)}) AS x
      FROM h CROSS JOIN active s GROUP BY 1, 2`,
    // SPEC opt-in, summed over the other purposes: each (subject, purpose) answered in the window, by its latest answer.
    optIn: sql`WITH ${base},
      latest AS (
        SELECT DISTINCT ON (h.days, e.subject, e.purpose) h.days, r.holdout, e.type
        FROM h CROSS JOIN r JOIN events e ON ${inWindow}
        WHERE e.type IN ('consent.granted', 'consent.denied') ${c.purpose ? sql`AND e.purpose <> ${c.purpose}` : sql``}
        ORDER BY h.days, e.subject, e.purpose, e.occurred_at DESC, e.seq DESC
      )
      SELECT days, holdout, count(*) AS n, count(*) FILTER (WHERE type = 'consent.granted') AS x FROM latest GROUP BY 1, 2`,
    // SPEC trust score: each subject's latest rating in the window.
    trust: sql`WITH ${base},
      latest AS (
        SELECT DISTINCT ON (h.days, e.subject) h.days, r.holdout, e.score
        FROM h CROSS JOIN r JOIN events e ON ${inWindow}
        WHERE e.type = 'trust.rated'
        ORDER BY h.days, e.subject, e.occurred_at DESC, e.seq DESC
      )
      SELECT days, holdout, count(*) AS n, count(*) FILTER (WHERE score >= 9) AS promoters, count(*) FILTER (WHERE score <= 6) AS detractors
      FROM latest GROUP BY 1, 2`,
    removed: sql`WITH ${base}
      SELECT h.days, r.holdout, count(DISTINCT r.subject) AS n
      FROM h CROSS JOIN r JOIN events e ON ${inWindow}
      WHERE e.type = 'data.deleted' AND e.field = ${c.field}
      GROUP BY 1, 2`,
  };
}

/**
 * Results 30, 60 and 90 days after launch, contacted recipients against the holdout: churn rate, opt-in rate for
 * the other purposes, trust score, each with the difference and its 95% interval, and the holdings removed (audience
 * members with a `data.deleted` of the field in the window). A window that has not passed yet is not available.
 */
export async function campaignResults(
  db: Db,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<CampaignResults> {
  authorize(actor, "campaigns:read");
  const c = await campaignRow(db, actor.workspaceId, id);
  const others = await db
    .select({ key: purposes.key })
    .from(purposes)
    .where(
      and(eq(purposes.workspaceId, actor.workspaceId), c.purpose ? ne(purposes.key, c.purpose) : undefined),
    )
    .orderBy(asc(purposes.key));
  const result: CampaignResults = {
    campaign: id,
    launched_at: c.launchedAt?.toISOString() ?? null,
    recipients: (c.audienceCount ?? 0) - (c.holdoutCount ?? 0),
    holdout: c.holdoutCount ?? 0,
    other_purposes: others.map((p) => p.key),
    horizons: [],
  };
  if (!c.launchedAt) return result;
  const launched = c.launchedAt.getTime();
  const windows = RESULT_HORIZONS.map((days) => ({ days, until: new Date(launched + days * DAY_MS) }));
  const elapsed = windows.filter((w) => w.until.getTime() <= now.getTime());
  const empty = { churn: null, opt_in: null, trust_score: null, removed: null };
  if (!elapsed.length) {
    result.horizons = windows.map((w) => ({
      days: w.days,
      until: w.until.toISOString(),
      available: false,
      ...empty,
    }));
    return result;
  }
  const values = sql.join(
    elapsed.map((w) => sql`(${w.days}::int, ${w.until.toISOString()}::timestamptz)`),
    sql`, `,
  );
  const q = outcomeQueries(c, c.launchedAt.toISOString(), values);
  const [churn, optIn, trust, removed] = await Promise.all(
    [q.churn, q.optIn, q.trust, q.removed].map((query) => rows<GroupRow>(db, query).then(byHorizon)),
  );
  result.horizons = windows.map((w): HorizonResult => {
    if (w.until.getTime() > now.getTime())
      return { days: w.days, until: w.until.toISOString(), available: false, ...empty };
    const share = (m: ByGroup | undefined, g: "recipients" | "holdout") =>
      proportion(num(m?.get(w.days)?.[g]?.x), num(m?.get(w.days)?.[g]?.n));
    const trustOf = (g: "recipients" | "holdout") => {
      const r = trust?.get(w.days)?.[g];
      return trustGroup(num(r?.promoters), num(r?.detractors), num(r?.n));
    };
    return {
      days: w.days,
      until: w.until.toISOString(),
      available: true,
      churn: compareProportions(share(churn, "recipients"), share(churn, "holdout")),
      opt_in: compareProportions(share(optIn, "recipients"), share(optIn, "holdout")),
      trust_score: compareTrust(trustOf("recipients"), trustOf("holdout")),
      removed: {
        recipients: num(removed?.get(w.days)?.recipients?.n),
        holdout: num(removed?.get(w.days)?.holdout?.n),
      },
    };
  });
  return result;
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { ResolvedParams } from "./params";
import { periodHeader, rate, TOTAL, unitRanges, type RollupGrain, type Window } from "./plan";
import { keptInWindow, num, subjectFilter, ts, windowFilters, windowsCte } from "./reference/sql";
import { activeAt, churnedIn } from "./rollup/active";
import { activeAtSql, churnedInSql, subjectLivesSql } from "./rules/churn";
import type { TallySelection } from "./rollup/query";
import { CHURN_MEASURES, COHORT_MEASURES } from "./state/measures";
import { attributesOf, preparePeriod, type MetricOptions } from "./scope";
import type { ChurnCounts, ChurnResponse, ConsentCohort } from "./types";

interface Tally {
  active: number;
  churned: number;
}
type Cohorts = Map<string, Tally>;

const counts = (t: Tally | undefined): ChurnCounts => ({
  active: t?.active ?? 0,
  churned: t?.churned ?? 0,
  churn_rate: rate(t?.churned ?? 0, t?.active ?? 0),
});

/**
 * Churn (SPEC 4): active = subjects with an event before the start and no `customer.churned`
 * before it; churned = active subjects who churn in the period. Cohorts split the period's active
 * subjects by their consent state for each purpose at its start.
 */
export async function churn(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<ChurnResponse> {
  const { keys, plan, grain } = await preparePeriod(db, workspaceId, params, options);
  const [overall, cohorts] = grain
    ? await fromRollups(db, workspaceId, grain, plan.windows, keys, attributesOf(params))
    : await Promise.all([
        overallFromEvents(db, workspaceId, plan.windows, params),
        cohortsFromEvents(db, workspaceId, params, keys),
      ]);

  const total = overall.get(TOTAL);
  return {
    ...periodHeader("churn", params),
    overall: {
      ...counts(total),
      series: plan.buckets.map((b, i) => ({ period: b.period, ...counts(overall.get(i)) })),
    },
    cohorts: Object.fromEntries(
      keys.map((purpose) => {
        const granted = cohorts.get(`${purpose}|granted`) ?? { active: 0, churned: 0 };
        const notGranted = cohorts.get(`${purpose}|not_granted`) ?? { active: 0, churned: 0 };
        // The three cohorts partition the active subjects: never asked is the rest.
        const neverAsked = {
          active: (total?.active ?? 0) - granted.active - notGranted.active,
          churned: (total?.churned ?? 0) - granted.churned - notGranted.churned,
        };
        const byCohort: Record<ConsentCohort, ChurnCounts> = {
          granted: counts(granted),
          not_granted: counts(notGranted),
          never_asked: counts(neverAsked),
        };
        return [purpose, byCohort];
      }),
    ),
  };
}

/** Each subject's first event and first churn, from the events before `to` (region/channel filters apply per window). */
const subjectLives = (workspaceId: number, p: ResolvedParams) =>
  subjectLivesSql(workspaceId, sql` AND e.occurred_at < ${ts(p.to)}`);

async function overallFromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Map<number, Tally>> {
  const found = await rows<{ i: number; active: unknown; churned: unknown }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))}, s AS MATERIALIZED (${subjectLives(workspaceId, p)})
        SELECT w.i, count(*) FILTER (WHERE ${activeAtSql("s", sql`w.s`)}) AS active,
          count(*) FILTER (WHERE ${churnedInSql("s", sql`w.s`, sql`w.e`)}) AS churned
        FROM w CROSS JOIN s WHERE TRUE${keptInWindow(p, sql`w.i`, sql`s.subject`)} GROUP BY w.i`,
  );
  return new Map(found.map((r) => [Number(r.i), { active: num(r.active), churned: num(r.churned) }]));
}

async function cohortsFromEvents(
  db: Db,
  workspaceId: number,
  p: ResolvedParams,
  purposes: string[],
): Promise<Cohorts> {
  if (!purposes.length) return new Map();
  const found = await rows<{ purpose: string; cohort: string; active: unknown; churned: unknown }>(
    db,
    sql`WITH s AS MATERIALIZED (${subjectLives(workspaceId, p)}),
          a AS MATERIALIZED (SELECT subject, churned_at FROM s WHERE ${activeAtSql("s", ts(p.from))}
                 ${subjectFilter(workspaceId, p, { before: p.to }, sql`s.subject`)}),
          st AS MATERIALIZED (SELECT DISTINCT ON (e.purpose, e.subject) e.purpose, e.subject, e.type FROM events e
                 WHERE e.workspace_id = ${workspaceId} AND e.type IN ('consent.granted', 'consent.denied', 'consent.withdrawn')
                   AND e.subject IS NOT NULL AND e.occurred_at < ${ts(p.from)}
                 ORDER BY e.purpose, e.subject, e.occurred_at DESC, e.seq DESC)
        SELECT st.purpose, CASE WHEN st.type = 'consent.granted' THEN 'granted' ELSE 'not_granted' END AS cohort,
          count(*) AS active, count(*) FILTER (WHERE a.churned_at IS NOT NULL) AS churned
        FROM a JOIN st ON st.subject = a.subject GROUP BY 1, 2`,
  );
  return new Map(
    found.map((r) => [`${r.purpose}|${r.cohort}`, { active: num(r.active), churned: num(r.churned) }]),
  );
}

async function overallFromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  attributes?: TallySelection["attributes"],
): Promise<Map<number, Tally>> {
  const ranges = unitRanges(grain, windows);
  const [active, churned] = await Promise.all([
    activeAt(db, workspaceId, grain, ranges, CHURN_MEASURES.active, [""], attributes),
    churnedIn(db, workspaceId, grain, ranges, CHURN_MEASURES.churned, [""], "x", attributes),
  ]);
  return new Map(
    ranges.map((r) => [r.i, { active: active.get(`${r.i}|`) ?? 0, churned: churned.get(`${r.i}|`) ?? 0 }]),
  );
}

/**
 * The subjects active at the period's start and those of them who churn in it (SPEC 4, with the region and channel
 * filters), without the buckets or the cohorts: from the rollups where they answer (`fromRollups`), else from the
 * events. What the churn-after-withdrawal insight splits.
 */
export async function churnTotals(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<ChurnCounts & { fromRollups: boolean }> {
  const { plan, grain } = await preparePeriod(db, workspaceId, params, { ...options, totalsOnly: true });
  const overall = grain
    ? await overallFromRollups(db, workspaceId, grain, plan.windows, attributesOf(params))
    : await overallFromEvents(db, workspaceId, plan.windows, params);
  return { ...counts(overall.get(TOTAL)), fromRollups: grain !== null };
}

async function fromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  purposes: string[],
  attributes?: TallySelection["attributes"],
): Promise<[Map<number, Tally>, Cohorts]> {
  const ranges = unitRanges(grain, windows);
  const period = ranges.filter((r) => r.i === TOTAL);
  const cohorts = Object.entries(COHORT_MEASURES);
  const [overall, ...byCohort] = await Promise.all([
    overallFromRollups(db, workspaceId, grain, windows, attributes),
    ...cohorts.flatMap(([, m]) => [
      activeAt(db, workspaceId, grain, period, m.active, purposes, attributes),
      churnedIn(db, workspaceId, grain, period, m.churned, purposes, "z", attributes),
    ]),
  ]);
  const split: Cohorts = new Map();
  cohorts.forEach(([cohort], c) => {
    for (const purpose of purposes) {
      const at = `${TOTAL}|${purpose}`;
      split.set(`${purpose}|${cohort}`, {
        active: byCohort[2 * c]?.get(at) ?? 0,
        churned: byCohort[2 * c + 1]?.get(at) ?? 0,
      });
    }
  });
  return [overall, split];
}

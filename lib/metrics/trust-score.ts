import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { ResolvedParams } from "./params";
import { periodHeader, TOTAL, unitRanges, type RollupGrain, type Window } from "./plan";
import { keptInWindow, num, windowFilters, windowsCte } from "./reference/sql";
import { subjectsInRanges, type TallySelection } from "./rollup/query";
import { TRUST_MEASURE } from "./state/measures";
import { attributesOf, preparePeriod, type MetricOptions } from "./scope";
import type { TrustScoreCounts, TrustScoreResponse } from "./types";

const SCORES = Array.from({ length: 11 }, (_, score) => String(score));

/** Of each subject's latest rating in a window: how many, their sum, and how many were 9–10 and 0–6. */
interface Ratings {
  responses: number;
  sum: number;
  promoters: number;
  detractors: number;
}

/** Trust score (SPEC 4): %(score ≥ 9) − %(score ≤ 6) over each subject's latest rating in the period. */
export async function trustScore(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<TrustScoreResponse> {
  const { plan, grain } = await preparePeriod(db, workspaceId, params, options);
  const ratings = grain
    ? await fromRollups(db, workspaceId, grain, plan.windows, attributesOf(params))
    : await fromEvents(db, workspaceId, plan.windows, params);
  return {
    ...periodHeader("trust-score", params),
    ...trustCounts(ratings.get(TOTAL)),
    series: plan.buckets.map((b, i) => ({ period: b.period, ...trustCounts(ratings.get(i)) })),
  };
}

function trustCounts(r: Ratings | undefined): TrustScoreCounts {
  if (!r || r.responses === 0) return { responses: 0, mean: null, trust_score: null };
  return {
    responses: r.responses,
    mean: r.sum / r.responses,
    trust_score: ((r.promoters - r.detractors) / r.responses) * 100,
  };
}

async function fromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Map<number, Ratings>> {
  const found = await rows<{
    i: number;
    responses: unknown;
    sum: unknown;
    promoters: unknown;
    detractors: unknown;
  }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))}
        SELECT r.i, count(*) AS responses, sum(r.score) AS sum, count(*) FILTER (WHERE r.score >= 9) AS promoters,
          count(*) FILTER (WHERE r.score <= 6) AS detractors
        FROM (SELECT DISTINCT ON (w.i, e.subject) w.i, e.score FROM events e JOIN w ON e.occurred_at >= w.s AND e.occurred_at < w.e
              WHERE e.workspace_id = ${workspaceId} AND e.type = 'trust.rated' AND e.subject IS NOT NULL
                ${keptInWindow(p, sql`w.i`, sql`e.subject`)}
              ORDER BY w.i, e.subject, e.occurred_at DESC, e.seq DESC) r
        GROUP BY r.i`,
  );
  return new Map(
    found.map((r) => [
      Number(r.i),
      {
        responses: num(r.responses),
        sum: num(r.sum),
        promoters: num(r.promoters),
        detractors: num(r.detractors),
      },
    ]),
  );
}

async function fromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  attributes?: TallySelection["attributes"],
): Promise<Map<number, Ratings>> {
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: [TRUST_MEASURE],
    keys: [""],
    dims: SCORES,
    attributes,
  });
  const out = new Map<number, Ratings>();
  for (const s of sums) {
    const score = Number(s.dim);
    const r = out.get(s.i) ?? { responses: 0, sum: 0, promoters: 0, detractors: 0 };
    r.responses += s.n;
    r.sum += score * s.n;
    if (score >= 9) r.promoters += s.n;
    if (score <= 6) r.detractors += s.n;
    out.set(s.i, r);
  }
  return out;
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { isoInstant } from "./buckets";
import type { ResolvedParams } from "./params";
import { periodPlan, rate, TOTAL, unitRanges, type RollupGrain, type UnitRange } from "./plan";
import { num, subjectFilter, ts } from "./reference/sql";
import { activeAt, churnedIn } from "./rollup/active";
import type { TallySelection } from "./rollup/query";
import { CHURN_MEASURES, CONTROL_MEASURES } from "./state/measures";
import { attributesOf, loadScope, reportedPurposes, rollupGrainFor, type MetricOptions } from "./scope";
import type { ChurnCounts, ControlEffectResponse } from "./types";
import { activeAtSql, subjectLivesSql } from "./rules/churn";

interface Split {
  control: { active: number; churned: number };
  all: { active: number; churned: number };
}

const sameSet = (a: readonly string[] | null, b: readonly string[]) =>
  a !== null && a.length === b.length && [...a].sort().join("\u0000") === [...b].sort().join("\u0000");

/**
 * Control effect (SPEC 4): the subjects active at the start of the period split by whether they
 * used a control (a `consent.*` event from one of the workspace's control sources) before it, the
 * churn rate of each, their difference with a 95% Wald interval and the relative reduction. An
 * association, not a cause. Not per purpose: a purpose filter is checked and does not narrow it.
 */
export async function controlEffect(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<ControlEffectResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  if (params.purpose !== undefined) reportedPurposes(scope, params.purpose);
  const { windows } = periodPlan(params.from, params.to, params.granularity);
  const period = windows.filter((w) => w.i === TOTAL);
  const grain = sameSet(scope.rollupControlSources, scope.controlSources)
    ? rollupGrainFor(scope, period, options, params)
    : null;
  const split = grain
    ? await fromRollups(db, workspaceId, grain, unitRanges(grain, period), attributesOf(params))
    : await fromEvents(db, workspaceId, params, scope.controlSources);
  return {
    metric: "control-effect",
    from: isoInstant(params.from),
    to: isoInstant(params.to),
    control_sources: scope.controlSources,
    ...compare(split),
  };
}

const cohort = (active: number, churned: number): ChurnCounts => ({
  active,
  churned,
  churn_rate: rate(churned, active),
});

/** The two cohorts and their difference: p1 − p2 ± 1.96 · sqrt(p1(1−p1)/n1 + p2(1−p2)/n2); 1 − p1 / p2. */
export function compare(
  split: Split,
): Omit<ControlEffectResponse, "metric" | "from" | "to" | "control_sources"> {
  const used = cohort(split.control.active, split.control.churned);
  const none = cohort(split.all.active - split.control.active, split.all.churned - split.control.churned);
  const p1 = used.churn_rate;
  const p2 = none.churn_rate;
  if (p1 === null || p2 === null)
    return {
      used_control: used,
      no_control: none,
      difference: null,
      ci_low: null,
      ci_high: null,
      relative_reduction: null,
    };
  const difference = p1 - p2;
  const half = 1.96 * Math.sqrt((p1 * (1 - p1)) / used.active + (p2 * (1 - p2)) / none.active);
  return {
    used_control: used,
    no_control: none,
    difference,
    ci_low: difference - half,
    ci_high: difference + half,
    relative_reduction: p2 === 0 ? null : 1 - p1 / p2,
  };
}

/** Reference: each subject's first event, first churn and first consent event from a control source, from the raw events. */
async function fromEvents(db: Db, workspaceId: number, p: ResolvedParams, sources: string[]): Promise<Split> {
  const [found] = await rows<{
    active: unknown;
    churned: unknown;
    control_active: unknown;
    control_churned: unknown;
  }>(
    db,
    sql`WITH s AS MATERIALIZED (${subjectLivesSql(
      workspaceId,
      sql` AND e.occurred_at < ${ts(p.to)} ${subjectFilter(workspaceId, p, { before: p.to }, sql`e.subject`)}`,
      sql`, min(e.occurred_at) FILTER (WHERE e.type IN ('consent.granted', 'consent.denied', 'consent.withdrawn')
              AND e.source IN (SELECT jsonb_array_elements_text(${JSON.stringify(sources)}::jsonb))) AS control_at`,
    )}),
        a AS (SELECT * FROM s WHERE ${activeAtSql("s", ts(p.from))})
        SELECT count(*) AS active, count(churned_at) AS churned,
          count(*) FILTER (WHERE control_at < ${ts(p.from)}) AS control_active,
          count(churned_at) FILTER (WHERE control_at < ${ts(p.from)}) AS control_churned
        FROM a`,
  );
  return {
    all: { active: num(found?.active), churned: num(found?.churned) },
    control: { active: num(found?.control_active), churned: num(found?.control_churned) },
  };
}

async function fromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  ranges: UnitRange[],
  attributes?: TallySelection["attributes"],
): Promise<Split> {
  const [active, churned, controlActive, controlChurned] = await Promise.all([
    activeAt(db, workspaceId, grain, ranges, CHURN_MEASURES.active, [""], attributes),
    churnedIn(db, workspaceId, grain, ranges, CHURN_MEASURES.churned, [""], "x", attributes),
    activeAt(db, workspaceId, grain, ranges, CONTROL_MEASURES.active, [""], attributes),
    churnedIn(db, workspaceId, grain, ranges, CONTROL_MEASURES.churned, [""], "z", attributes),
  ]);
  const at = `${TOTAL}|`;
  return {
    all: { active: active.get(at) ?? 0, churned: churned.get(at) ?? 0 },
    control: { active: controlActive.get(at) ?? 0, churned: controlChurned.get(at) ?? 0 },
  };
}

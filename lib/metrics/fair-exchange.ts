import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { isoInstant } from "./buckets";
import type { ResolvedParams } from "./params";
import { periodPlan, rate, TOTAL, unitRanges, type RollupGrain, type Window } from "./plan";
import { consentingSubjects, subjectsWithEvent } from "./reference/consent";
import { eventFilters, num, windowFilters, windowsCte } from "./reference/sql";
import { subjectsInRanges, type TallySelection } from "./rollup/query";
import { FAIR_EXCHANGE_MEASURES, NO_VALUE } from "./state/measures";
import { attributesOf, loadScope, reportedPurposes, rollupGrainFor, type MetricOptions } from "./scope";
import { VALUE_KINDS, type FairExchangeResponse, type ValueKind, type WithdrawalCounts } from "./types";

/** Consenting and withdrawn subjects by `purpose|kind|measure`. */
type Counts = Map<string, number>;

/**
 * Fair exchange (SPEC 4): per purpose, the consenting subjects C of the period split by the kinds
 * of value they received for it (one cohort per kind, a subject in each of its kinds, and `none`),
 * with the withdrawal rate of each cohort. Which kinds of value go with customers keeping their yes?
 */
export async function fairExchange(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<FairExchangeResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  const keys = reportedPurposes(scope, params.purpose);
  const period = periodPlan(params.from, params.to, params.granularity).windows.filter((w) => w.i === TOTAL);
  const grain = rollupGrainFor(scope, period, options, params);
  const found = grain
    ? await fromRollups(db, workspaceId, grain, period, keys, attributesOf(params))
    : await fromEvents(db, workspaceId, period, params);
  const cohort = (purpose: string, kind: string): WithdrawalCounts => {
    const consenting = found.get(`${purpose}|${kind}|${FAIR_EXCHANGE_MEASURES.consenting}`) ?? 0;
    const withdrawn = found.get(`${purpose}|${kind}|${FAIR_EXCHANGE_MEASURES.withdrawn}`) ?? 0;
    return { consenting, withdrawn, withdrawal_rate: rate(withdrawn, consenting) };
  };
  return {
    metric: "fair-exchange",
    from: isoInstant(params.from),
    to: isoInstant(params.to),
    purposes: keys.map((purpose) => ({
      purpose,
      kinds: Object.fromEntries([...VALUE_KINDS, NO_VALUE].map((k) => [k, cohort(purpose, k)])) as Record<
        ValueKind | "none",
        WithdrawalCounts
      >,
    })),
  };
}

/** Reference: C and W as in the withdrawal rate, and the kinds of value each subject got for the purpose in the period. */
async function fromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Counts> {
  const found = await rows<{ purpose: string; kind: string; consenting: unknown; withdrawn: unknown }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))},
          c AS MATERIALIZED (${consentingSubjects(workspaceId, p)}),
          wd AS MATERIALIZED (${subjectsWithEvent(workspaceId, "consent.withdrawn", p)}),
          v AS MATERIALIZED (
            SELECT DISTINCT e.purpose, e.subject, e.value_kind AS kind FROM events e JOIN w ON e.occurred_at >= w.s AND e.occurred_at < w.e
            WHERE e.workspace_id = ${workspaceId} AND e.type = 'value.delivered' AND e.subject IS NOT NULL${eventFilters(p)}),
          cohorts AS (
            SELECT c.purpose, c.subject, v.kind FROM c JOIN v ON v.purpose = c.purpose AND v.subject = c.subject
            UNION ALL
            SELECT c.purpose, c.subject, ${NO_VALUE} FROM c WHERE NOT EXISTS (SELECT 1 FROM v WHERE v.purpose = c.purpose AND v.subject = c.subject))
        SELECT k.purpose, k.kind, count(*) AS consenting, count(wd.subject) AS withdrawn
        FROM cohorts k LEFT JOIN wd ON wd.purpose = k.purpose AND wd.subject = k.subject
        GROUP BY k.purpose, k.kind`,
  );
  const out: Counts = new Map();
  for (const r of found) {
    out.set(`${r.purpose}|${r.kind}|${FAIR_EXCHANGE_MEASURES.consenting}`, num(r.consenting));
    out.set(`${r.purpose}|${r.kind}|${FAIR_EXCHANGE_MEASURES.withdrawn}`, num(r.withdrawn));
  }
  return out;
}

async function fromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  keys: string[],
  attributes?: TallySelection["attributes"],
): Promise<Counts> {
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: Object.values(FAIR_EXCHANGE_MEASURES),
    keys,
    // Every dim these measures have (the kinds the event contract allows, and none): named, the
    // read seeks on x within each dim instead of reading every row of the grain (1.3 s at 1M events).
    dims: [...VALUE_KINDS, NO_VALUE],
    attributes,
  });
  const out: Counts = new Map();
  for (const s of sums)
    out.set(`${s.key}|${s.dim}|${s.measure}`, (out.get(`${s.key}|${s.dim}|${s.measure}`) ?? 0) + s.n);
  return out;
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { ResolvedParams } from "./params";
import { periodHeader, purposeEntries, rate, unitRanges, type RollupGrain, type Window } from "./plan";
import { consentingSubjects, subjectsWithEvent } from "./reference/consent";
import { eventFilters, num, windowFilters, windowsCte } from "./reference/sql";
import { rangesTable, subjectsInRanges, sumBy, type TallySelection } from "./rollup/query";
import { amountFromGroups, parseAmountDim } from "./state/amounts";
import { RECIPROCITY_MEASURES, VALUE_AMOUNT_MEASURE } from "./state/measures";
import { attributesOf, preparePeriod, type MetricOptions } from "./scope";
import type { ReciprocityCounts, ReciprocityResponse } from "./types";

type Measure = (typeof RECIPROCITY_MEASURES)[keyof typeof RECIPROCITY_MEASURES];

interface Amount {
  i: number;
  purpose: string;
  currency: string;
  amount: number;
}

/**
 * Reciprocity per purpose (SPEC 4): of the subjects whose data was used for the purpose (U), the
 * share who got value for it (V); value coverage: the share of consenting subjects (C) with value.
 */
export async function reciprocity(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<ReciprocityResponse> {
  const { scope, keys, plan, grain } = await preparePeriod(db, workspaceId, params, options);
  const [counts, amounts] = await Promise.all(
    grain
      ? [
          countsFromRollups(db, workspaceId, grain, plan.windows, keys, attributesOf(params)),
          amountsFromRollups(db, workspaceId, grain, plan.windows, keys, params),
        ]
      : [
          countsFromEvents(db, workspaceId, plan.windows, params),
          amountsFromEvents(db, workspaceId, plan.windows, params),
        ],
  );

  const at = (i: number, purpose: string): ReciprocityCounts => {
    const n = (m: Measure) => counts.get(`${i}|${purpose}|${m}`) ?? 0;
    let total = 0;
    const other: Record<string, number> = {};
    for (const a of amounts) {
      if (a.i !== i || a.purpose !== purpose) continue;
      if (a.currency === "" || a.currency === scope.currency) total += a.amount;
      else other[a.currency] = (other[a.currency] ?? 0) + a.amount;
    }
    const used = n(RECIPROCITY_MEASURES.used);
    const usedAndValued = n(RECIPROCITY_MEASURES.usedAndValued);
    const consenting = n(RECIPROCITY_MEASURES.consenting);
    const valuedConsenting = n(RECIPROCITY_MEASURES.valuedConsenting);
    return {
      used,
      used_and_valued: usedAndValued,
      reciprocity: rate(usedAndValued, used),
      consenting,
      valued_consenting: valuedConsenting,
      value_coverage: rate(valuedConsenting, consenting),
      value_total: total,
      value_other: other,
    };
  };
  return { ...periodHeader("reciprocity", params), purposes: purposeEntries(keys, plan.buckets, at) };
}

async function countsFromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Map<string, number>> {
  const found = await rows<{
    i: number;
    purpose: string;
    used: unknown;
    used_valued: unknown;
    consenting: unknown;
    valued_consenting: unknown;
  }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))},
          u AS MATERIALIZED (${subjectsWithEvent(workspaceId, "data.used", p)}),
          v AS MATERIALIZED (${subjectsWithEvent(workspaceId, "value.delivered", p)}),
          c AS MATERIALIZED (${consentingSubjects(workspaceId, p)}),
          s AS (SELECT i, purpose, subject, bool_or(k = 'u') AS in_u, bool_or(k = 'v') AS in_v, bool_or(k = 'c') AS in_c
                FROM (SELECT i, purpose, subject, 'u' AS k FROM u UNION ALL SELECT i, purpose, subject, 'v' FROM v
                      UNION ALL SELECT i, purpose, subject, 'c' FROM c) x
                GROUP BY i, purpose, subject)
        SELECT i, purpose, count(*) FILTER (WHERE in_u) AS used, count(*) FILTER (WHERE in_u AND in_v) AS used_valued,
          count(*) FILTER (WHERE in_c) AS consenting, count(*) FILTER (WHERE in_v AND in_c) AS valued_consenting
        FROM s GROUP BY i, purpose`,
  );
  const out = new Map<string, number>();
  for (const r of found) {
    for (const m of Object.values(RECIPROCITY_MEASURES)) out.set(`${r.i}|${r.purpose}|${m}`, num(r[m]));
  }
  return out;
}

async function amountsFromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Amount[]> {
  const found = await rows<{ i: number; purpose: string; currency: string; amount: unknown }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))}
        SELECT w.i, e.purpose, coalesce(e.value_currency, '') AS currency, sum(coalesce(e.value_amount, 0)) AS amount
        FROM events e JOIN w ON e.occurred_at >= w.s AND e.occurred_at < w.e
        WHERE e.workspace_id = ${workspaceId} AND e.type = 'value.delivered'${eventFilters(p)}
        GROUP BY 1, 2, 3`,
  );
  return found.map((r) => ({
    i: Number(r.i),
    purpose: r.purpose,
    currency: r.currency,
    amount: num(r.amount),
  }));
}

async function countsFromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  keys: string[],
  attributes?: TallySelection["attributes"],
): Promise<Map<string, number>> {
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: Object.values(RECIPROCITY_MEASURES),
    keys,
    dims: [""],
    attributes,
  });
  return sumBy(sums, (s) => `${s.i}|${s.key}|${s.measure}`);
}

/**
 * Unfiltered: the sums per day, purpose and currency (`metric_value_daily`). Under a region or
 * channel filter: the subjects' amounts per (region, channel) segment, in six-digit groups
 * (state/amounts.ts), summed as the counts are and put together exactly.
 */
async function amountsFromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  keys: string[],
  p: ResolvedParams,
): Promise<Amount[]> {
  const attributes = attributesOf(p);
  if (!attributes) return dailyAmounts(db, workspaceId, windows, p);
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: [VALUE_AMOUNT_MEASURE],
    keys,
    attributes,
  });
  const byAmount = new Map<
    string,
    { i: number; purpose: string; currency: string; deliveries: number; groups: Map<number, number> }
  >();
  for (const s of sums) {
    const { group, currency } = parseAmountDim(s.dim);
    const id = `${s.i}|${s.key}|${currency}`;
    const entry = byAmount.get(id) ?? { i: s.i, purpose: s.key, currency, deliveries: 0, groups: new Map() };
    if (group === null) entry.deliveries += s.n;
    else entry.groups.set(group, (entry.groups.get(group) ?? 0) + s.n);
    byAmount.set(id, entry);
  }
  return [...byAmount.values()]
    .filter((a) => a.deliveries > 0)
    .map((a) => ({ i: a.i, purpose: a.purpose, currency: a.currency, amount: amountFromGroups(a.groups) }));
}

async function dailyAmounts(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Amount[]> {
  const purpose = p.purpose === undefined ? sql`` : sql` AND v.purpose = ${p.purpose}`;
  const found = await rows<{ i: number; purpose: string; currency: string; amount: unknown }>(
    db,
    sql`SELECT r.i, v.purpose, v.currency, v.amount
        FROM ${rangesTable(unitRanges("day", windows))}
        CROSS JOIN LATERAL (SELECT v.purpose, v.currency, sum(v.amount) AS amount FROM metric_value_daily v
          WHERE v.workspace_id = ${workspaceId} AND v.day >= r.a AND v.day <= r.b${purpose} GROUP BY v.purpose, v.currency) v`,
  );
  return found.map((r) => ({
    i: Number(r.i),
    purpose: r.purpose,
    currency: r.currency,
    amount: num(r.amount),
  }));
}

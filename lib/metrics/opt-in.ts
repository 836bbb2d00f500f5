import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { ResolvedParams } from "./params";
import { periodHeader, purposeEntries, rate, TOTAL, unitRanges, type RollupGrain, type Window } from "./plan";
import { eventFilters, latestAttribute, num, windowFilters, windowsCte } from "./reference/sql";
import { subjectsInRanges, type TallySum } from "./rollup/query";
import { CONTEXT_DIM_PREFIX, contextDim, OPT_IN_MEASURES } from "./state/measures";
import { attributesOf, preparePeriod, type MetricOptions } from "./scope";
import type { Breakdown, OptInCounts, OptInResponse } from "./types";

/** Asked subjects (`answered`) and those whose latest answer was yes (`granted`), per window, purpose and dimension. */
interface Asked {
  i: number;
  purpose: string;
  value: string | null;
  answered: number;
  granted: number;
}

/**
 * Opt-in rate per purpose (SPEC 4): of the subjects asked in the period (a granted or denied),
 * the share whose latest answer in it was granted. Asked five times, counted once.
 */
export async function optIn(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<OptInResponse> {
  const { keys, plan, grain } = await preparePeriod(db, workspaceId, params, options);
  const total = plan.windows.filter((w) => w.i === TOTAL);
  const [asked, byValue] = await Promise.all([
    grain
      ? askedFromRollups(db, workspaceId, grain, plan.windows, params, keys)
      : askedFromEvents(db, workspaceId, plan.windows, params, null),
    !params.breakdown
      ? []
      : grain
        ? askedFromRollups(db, workspaceId, grain, total, params, keys, params.breakdown)
        : askedFromEvents(db, workspaceId, total, params, params.breakdown),
  ]);

  const counts = new Map(asked.map((a) => [`${a.i}|${a.purpose}`, a]));
  const at = (i: number, purpose: string) => optInCounts(counts.get(`${i}|${purpose}`));
  return {
    ...periodHeader("opt-in", params),
    ...(params.breakdown ? { breakdown: params.breakdown } : {}),
    purposes: purposeEntries(keys, plan.buckets, at).map((entry) =>
      params.breakdown
        ? {
            ...entry,
            breakdown: byValue
              .filter((a) => a.purpose === entry.purpose)
              .sort((x, y) => (x.value ?? "\uffff").localeCompare(y.value ?? "\uffff"))
              .map((a) => ({ value: a.value, ...optInCounts(a) })),
          }
        : entry,
    ),
  };
}

function optInCounts(a: { answered: number; granted: number } | undefined): OptInCounts {
  const answered = a?.answered ?? 0;
  const granted = a?.granted ?? 0;
  return { answered, granted, opt_in_rate: rate(granted, answered) };
}

function dimension(workspaceId: number, breakdown: Breakdown | null, to: Date): { join: SQL; value: SQL } {
  if (breakdown === null) return { join: sql``, value: sql`NULL::text` };
  if (breakdown === "context") return { join: sql``, value: sql`e.context` };
  return {
    join: sql`LEFT JOIN (${latestAttribute(workspaceId, breakdown, { before: to })}) attr ON attr.subject = e.subject`,
    value: sql`attr.value`,
  };
}

async function askedFromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
  breakdown: Breakdown | null,
): Promise<Asked[]> {
  const dim = dimension(workspaceId, breakdown, p.to);
  const context = p.context === undefined ? sql`` : sql` AND e.context = ${p.context}`;
  const found = await rows<{
    i: number;
    purpose: string;
    value: string | null;
    answered: unknown;
    granted: unknown;
  }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))}
        SELECT a.i, a.purpose, a.value, count(*) AS answered, count(*) FILTER (WHERE a.type = 'consent.granted') AS granted
        FROM (SELECT DISTINCT ON (w.i, e.purpose, ${dim.value}, e.subject) w.i, e.purpose, ${dim.value} AS value, e.type
              FROM events e ${dim.join} JOIN w ON e.occurred_at >= w.s AND e.occurred_at < w.e
              WHERE e.workspace_id = ${workspaceId} AND e.type IN ('consent.granted', 'consent.denied') AND e.subject IS NOT NULL
                ${eventFilters(p)}${context}
              ORDER BY w.i, e.purpose, ${dim.value}, e.subject, e.occurred_at DESC, e.seq DESC) a
        GROUP BY a.i, a.purpose, a.value`,
  );
  return found.map((r) => ({
    i: Number(r.i),
    purpose: r.purpose,
    value: r.value,
    answered: num(r.answered),
    granted: num(r.granted),
  }));
}

async function askedFromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  p: ResolvedParams,
  keys: string[],
  breakdown: Breakdown | null = null,
): Promise<Asked[]> {
  const byContext = breakdown === "context";
  const dims = byContext
    ? p.context === undefined
      ? { prefix: CONTEXT_DIM_PREFIX }
      : [contextDim(p.context)]
    : [p.context === undefined ? "" : contextDim(p.context)];
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: [OPT_IN_MEASURES.granted, OPT_IN_MEASURES.denied],
    keys,
    dims,
    attributes: attributesOf(p) ?? (breakdown && !byContext ? {} : undefined),
    attributeAsDim: breakdown && !byContext ? breakdown : undefined,
  });
  const out = new Map<string, Asked>();
  const add = (s: TallySum) => {
    const value = !breakdown ? null : (byContext ? s.dim.slice(CONTEXT_DIM_PREFIX.length) : s.dim) || null;
    const k = `${s.i}|${s.key}|${value}`;
    const a = out.get(k) ?? { i: s.i, purpose: s.key, value, answered: 0, granted: 0 };
    a.answered += s.n;
    if (s.measure === OPT_IN_MEASURES.granted) a.granted += s.n;
    out.set(k, a);
  };
  sums.forEach(add);
  return [...out.values()].filter((a) => a.answered !== 0);
}

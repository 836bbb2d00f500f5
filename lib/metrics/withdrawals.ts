import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { ResolvedParams } from "./params";
import { periodHeader, purposeEntries, rate, unitRanges, type RollupGrain, type Window } from "./plan";
import { consentingSubjects, subjectsWithEvent } from "./reference/consent";
import { eventFilters, num, windowFilters, windowsCte } from "./reference/sql";
import { subjectsInRanges, sumBy, type TallySelection } from "./rollup/query";
import { UNKNOWN_SOURCE, WITHDRAWAL_MEASURES, WITHDRAWN_BY_SOURCE } from "./state/measures";
import { attributesOf, preparePeriod, type MetricOptions } from "./scope";
import type { SourceCounts, WithdrawalEntry, WithdrawalsResponse } from "./types";

/**
 * Withdrawal rate per purpose (SPEC 4): of the consenting subjects C (granted at the start of the
 * period, or granting in it), the share W with a `consent.withdrawn` in the period.
 */
export async function withdrawals(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<WithdrawalsResponse> {
  const { keys, plan, grain } = await preparePeriod(db, workspaceId, params, options);
  const [counts, sourced] = await Promise.all([
    grain
      ? fromRollups(db, workspaceId, grain, plan.windows, keys, attributesOf(params))
      : fromEvents(db, workspaceId, plan.windows, params),
    grain
      ? sourcesFromRollups(db, workspaceId, grain, plan.windows, keys, attributesOf(params))
      : sourcesFromEvents(db, workspaceId, plan.windows, params),
  ]);
  const at = (i: number, purpose: string): WithdrawalEntry => {
    const consenting = counts.get(`${i}|${purpose}|${WITHDRAWAL_MEASURES.consenting}`) ?? 0;
    const withdrawn = counts.get(`${i}|${purpose}|${WITHDRAWAL_MEASURES.withdrawn}`) ?? 0;
    return {
      consenting,
      withdrawn,
      withdrawal_rate: rate(withdrawn, consenting),
      by_source: sortedCounts(sourced.get(`${i}|${purpose}`)),
    };
  };
  const purposes = purposeEntries(keys, plan.buckets, at);
  const sources: SourceCounts = {};
  for (const p of purposes)
    for (const [source, n] of Object.entries(p.by_source)) sources[source] = (sources[source] ?? 0) + n;
  return {
    ...periodHeader("withdrawals", params),
    purposes,
    sources: sortedCounts(new Map(Object.entries(sources))),
  };
}

/** Counts by source, in source order, without zeros. */
function sortedCounts(counts: Map<string, number> | undefined): SourceCounts {
  return Object.fromEntries(
    [...(counts ?? [])].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Withdrawn subjects by `i|purpose`, then by the source of their first withdrawal in the window. */
type Sourced = Map<string, Map<string, number>>;

function addSourced(out: Sourced, key: string, source: string, n: number): void {
  const m = out.get(key) ?? new Map<string, number>();
  m.set(source, (m.get(source) ?? 0) + n);
  out.set(key, m);
}

async function sourcesFromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Sourced> {
  const found = await rows<{ i: number; purpose: string; source: string; n: unknown }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))},
          c AS MATERIALIZED (${consentingSubjects(workspaceId, p)}),
          fw AS MATERIALIZED (
            SELECT DISTINCT ON (w.i, e.purpose, e.subject) w.i, e.purpose, e.subject, coalesce(e.source, ${UNKNOWN_SOURCE}) AS source
            FROM events e JOIN w ON e.occurred_at >= w.s AND e.occurred_at < w.e
            WHERE e.workspace_id = ${workspaceId} AND e.type = 'consent.withdrawn' AND e.subject IS NOT NULL${eventFilters(p)}
            ORDER BY w.i, e.purpose, e.subject, e.occurred_at, e.seq)
        SELECT c.i, c.purpose, fw.source, count(*) AS n
        FROM c JOIN fw ON fw.i = c.i AND fw.purpose = c.purpose AND fw.subject = c.subject
        GROUP BY c.i, c.purpose, fw.source`,
  );
  const out: Sourced = new Map();
  for (const r of found) addSourced(out, `${r.i}|${r.purpose}`, r.source, num(r.n));
  return out;
}

async function sourcesFromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  keys: string[],
  attributes?: TallySelection["attributes"],
): Promise<Sourced> {
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: [WITHDRAWN_BY_SOURCE],
    keys,
    attributes,
  });
  const out: Sourced = new Map();
  for (const s of sums) addSourced(out, `${s.i}|${s.key}`, s.dim, s.n);
  return out;
}

/** Counts by `i|purpose|measure`. */
type Counts = Map<string, number>;

async function fromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
): Promise<Counts> {
  const found = await rows<{ i: number; purpose: string; consenting: unknown; withdrawn: unknown }>(
    db,
    sql`WITH ${windowsCte(windows, windowFilters(workspaceId, p))},
          c AS MATERIALIZED (${consentingSubjects(workspaceId, p)}),
          wd AS MATERIALIZED (${subjectsWithEvent(workspaceId, "consent.withdrawn", p)})
        SELECT c.i, c.purpose, count(*) AS consenting, count(wd.subject) AS withdrawn
        FROM c LEFT JOIN wd ON wd.i = c.i AND wd.purpose = c.purpose AND wd.subject = c.subject
        GROUP BY c.i, c.purpose`,
  );
  const out: Counts = new Map();
  for (const r of found) {
    out.set(`${r.i}|${r.purpose}|${WITHDRAWAL_MEASURES.consenting}`, num(r.consenting));
    out.set(`${r.i}|${r.purpose}|${WITHDRAWAL_MEASURES.withdrawn}`, num(r.withdrawn));
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
    measures: Object.values(WITHDRAWAL_MEASURES),
    keys,
    dims: [""],
    attributes,
  });
  return sumBy(sums, (s) => `${s.i}|${s.key}|${s.measure}`);
}

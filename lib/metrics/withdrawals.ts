import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { ResolvedParams } from "./params";
import { periodHeader, purposeEntries, rate, unitRanges, type RollupGrain, type Window } from "./plan";
import { consentingSubjects, subjectsWithEvent } from "./reference/consent";
import { num, windowsCte } from "./reference/sql";
import { subjectsInRanges, sumBy } from "./rollup/query";
import { WITHDRAWAL_MEASURES } from "./state/measures";
import { preparePeriod, type MetricOptions } from "./scope";
import type { WithdrawalCounts, WithdrawalsResponse } from "./types";

/**
 * Withdrawal rate per purpose (SPEC 4): of the consenting subjects C (granted at the start of the
 * period, or granting in it), the share W with a `consent.withdrawn` in the period.
 */
export async function withdrawals(db: Db, workspaceId: number, params: ResolvedParams, options: MetricOptions = {}): Promise<WithdrawalsResponse> {
  const { keys, plan, grain } = await preparePeriod(db, workspaceId, params, options);
  const counts = grain ? await fromRollups(db, workspaceId, grain, plan.windows, keys) : await fromEvents(db, workspaceId, plan.windows, params);
  const at = (i: number, purpose: string): WithdrawalCounts => {
    const consenting = counts.get(`${i}|${purpose}|${WITHDRAWAL_MEASURES.consenting}`) ?? 0;
    const withdrawn = counts.get(`${i}|${purpose}|${WITHDRAWAL_MEASURES.withdrawn}`) ?? 0;
    return { consenting, withdrawn, withdrawal_rate: rate(withdrawn, consenting) };
  };
  return { ...periodHeader("withdrawals", params), purposes: purposeEntries(keys, plan.buckets, at) };
}

/** Counts by `i|purpose|measure`. */
type Counts = Map<string, number>;

async function fromEvents(db: Db, workspaceId: number, windows: Window[], p: ResolvedParams): Promise<Counts> {
  const found = await rows<{ i: number; purpose: string; consenting: unknown; withdrawn: unknown }>(
    db,
    sql`WITH ${windowsCte(windows)},
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

async function fromRollups(db: Db, workspaceId: number, grain: RollupGrain, windows: Window[], keys: string[]): Promise<Counts> {
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: Object.values(WITHDRAWAL_MEASURES),
    keys,
    dims: [""],
  });
  return sumBy(sums, (s) => `${s.i}|${s.key}|${s.measure}`);
}

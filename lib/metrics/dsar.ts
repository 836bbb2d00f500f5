import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { DAY_MS } from "./buckets";
import type { ResolvedParams } from "./params";
import { periodHeader, periodPlan, rate, TOTAL, unitRanges, type RollupGrain, type Window } from "./plan";
import { keptSubjects } from "./reference/sql";
import { subjectsInRanges, type TallySelection } from "./rollup/query";
import { pairRequests } from "./state/contributions";
import { DSAR_MEASURES } from "./state/measures";
import {
  attributesOf,
  loadScope,
  readOf,
  reportedPurposes,
  rollupGrainFor,
  type MetricOptions,
} from "./scope";
import { DSAR_REQUESTS, type DsarCounts, type DsarResponse } from "./types";

/** Per window and request type: the counts, and the durations of the requests completed in it (ms, with how many took each). */
interface Tally {
  opened: number;
  completed: number;
  unmatched: number;
  durations: [number, number][];
  due: number;
  on_time: number;
  open_at_end: number;
  overdue_at_end: number;
}

const emptyTally = (): Tally => ({
  opened: 0,
  completed: 0,
  unmatched: 0,
  durations: [],
  due: 0,
  on_time: 0,
  open_at_end: 0,
  overdue_at_end: 0,
});

/** The median of values given with their multiplicities: the mean of the two middle ones for an even count; null for none. */
export function weightedMedian(values: [number, number][]): number | null {
  const sorted = values.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const nth = (k: number): number => {
    let seen = 0;
    for (const [v, n] of sorted) {
      seen += n;
      if (k < seen) return v;
    }
    return (sorted[sorted.length - 1] as [number, number])[0];
  };
  return total % 2 === 1 ? nth((total - 1) / 2) : (nth(total / 2 - 1) + nth(total / 2)) / 2;
}

const counts = (t: Tally): DsarCounts => ({
  opened: t.opened,
  completed: t.completed,
  unmatched: t.unmatched,
  median_days: ((m) => (m === null ? null : m / DAY_MS))(weightedMedian(t.durations)),
  due: t.due,
  on_time: t.on_time,
  on_time_rate: rate(t.on_time, t.due),
  open_at_end: t.open_at_end,
  overdue_at_end: t.overdue_at_end,
});

/**
 * Data subject requests (SPEC 4): requests paired with completions in event order, then per
 * window and type opened, completed, unmatched, median days, due, on time, open and overdue at
 * its end. Not per purpose: a purpose filter is checked and does not narrow it.
 */
export async function dsar(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions = {},
): Promise<DsarResponse> {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  if (params.purpose !== undefined) reportedPurposes(scope, params.purpose);
  const read = readOf(options);
  const plan = periodPlan(params.from, params.to, params.granularity, read);
  const grain =
    scope.rollupDsarDueDays === scope.dsarDueDays
      ? rollupGrainFor(scope, plan.windows, options, params)
      : null;
  const attributes = attributesOf(params);
  // Unfiltered, the buckets partition the period: its totals are theirs, not a second read of every
  // completion's duration (~11,000 a year at 10M events). Filtered, a customer counts in a bucket by
  // its attributes at that bucket's end, and in the period by those at the period's end.
  const derived = grain !== null && !attributes && read.total && read.buckets && plan.buckets.length > 1;
  const tallies = grain
    ? await fromRollups(
        db,
        workspaceId,
        grain,
        derived ? plan.windows.filter((w) => w.i !== TOTAL) : plan.windows,
        attributes,
      )
    : await fromEvents(db, workspaceId, plan.windows, params, scope.dsarDueDays);
  if (derived) addPeriodTotals(tallies, plan.buckets.length);
  const of = (i: number, request: string) => counts(tallies.get(`${i}|${request}`) ?? emptyTally());
  const entry = (request: string) => ({
    ...of(TOTAL, request),
    series: plan.buckets.map((b, i) => ({ period: b.period, ...of(i, request) })),
  });
  return {
    ...periodHeader("dsar", params),
    requests: {
      access: entry("access"),
      deletion: entry("deletion"),
      portability: entry("portability"),
      total: entry("total"),
    },
  };
}

function tallyOf(out: Map<string, Tally>, i: number, request: string): Tally[] {
  return [request, "total"].map((r) => {
    const key = `${i}|${r}`;
    const have = out.get(key) ?? emptyTally();
    out.set(key, have);
    return have;
  });
}

/** Reference: the requests paired in memory from the raw `dsar.*` events, counted per window. */
async function fromEvents(
  db: Db,
  workspaceId: number,
  windows: Window[],
  p: ResolvedParams,
  dueDays: number,
): Promise<Map<string, Tally>> {
  const found = await rows<{
    subject: string;
    type: string;
    request: string;
    t: string | number;
    seq: string | number;
  }>(
    db,
    sql`SELECT e.subject, e.type, e.request, (extract(epoch FROM e.occurred_at) * 1000)::float8 AS t, e.seq FROM events e
        WHERE e.workspace_id = ${workspaceId} AND e.type IN ('dsar.requested', 'dsar.completed') AND e.subject IS NOT NULL AND e.request IS NOT NULL
        ORDER BY e.subject, e.occurred_at, e.seq`,
  );
  const kept = await keptSubjects(db, workspaceId, windows, p);
  const bySubject = new Map<string, typeof found>();
  for (const r of found) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r]);
  const out = new Map<string, Tally>();
  for (const [subject, events] of bySubject) {
    const pairs = pairRequests(
      events.map((e) => ({
        subject: e.subject,
        type: e.type,
        request: e.request,
        t: Math.round(Number(e.t)),
        seq: Number(e.seq),
        purpose: null,
        field: null,
        context: null,
        score: null,
        amount: null,
        currency: null,
        source: null,
        kind: null,
      })),
    );
    for (const w of windows) {
      if (kept && !kept.has(`${w.i}|${subject}`)) continue;
      const [s, e] = [w.start.getTime(), w.end.getTime()];
      const inW = (t: number | null) => t !== null && t >= s && t < e;
      for (const pair of pairs) {
        const tallies = tallyOf(out, w.i, pair.request);
        const add = (k: Exclude<keyof Tally, "durations">) => tallies.forEach((t) => t[k]++);
        if (pair.requested === null) {
          if (inW(pair.completed)) add("unmatched");
          continue;
        }
        const due = pair.requested + dueDays * DAY_MS;
        if (inW(pair.requested)) add("opened");
        if (inW(pair.completed)) {
          add("completed");
          tallies.forEach((t) =>
            t.durations.push([(pair.completed as number) - (pair.requested as number), 1]),
          );
        }
        if (inW(due)) {
          add("due");
          if (pair.completed !== null && pair.completed <= due) add("on_time");
        }
        if (pair.requested < e && (pair.completed === null || pair.completed >= e)) {
          add("open_at_end");
          if (due < e) add("overdue_at_end");
        }
      }
    }
  }
  return out;
}

const MEASURE_FIELD: Record<string, Exclude<keyof Tally, "durations" | "completed">> = {
  [DSAR_MEASURES.opened]: "opened",
  [DSAR_MEASURES.unmatched]: "unmatched",
  [DSAR_MEASURES.due]: "due",
  [DSAR_MEASURES.onTime]: "on_time",
  [DSAR_MEASURES.open]: "open_at_end",
  [DSAR_MEASURES.overdue]: "overdue_at_end",
};

/**
 * The period's tallies from its buckets' (which partition it): the counts and durations summed, open
 * and overdue at the end those of the last bucket.
 */
function addPeriodTotals(tallies: Map<string, Tally>, buckets: number): void {
  for (const request of [...DSAR_REQUESTS, "total"]) {
    const total = emptyTally();
    for (let i = 0; i < buckets; i++) {
      const b = tallies.get(`${i}|${request}`);
      if (!b) continue;
      for (const k of ["opened", "completed", "unmatched", "due", "on_time"] as const) total[k] += b[k];
      for (const d of b.durations) total.durations.push(d);
    }
    const last = tallies.get(`${buckets - 1}|${request}`);
    total.open_at_end = last?.open_at_end ?? 0;
    total.overdue_at_end = last?.overdue_at_end ?? 0;
    tallies.set(`${TOTAL}|${request}`, total);
  }
}

async function fromRollups(
  db: Db,
  workspaceId: number,
  grain: RollupGrain,
  windows: Window[],
  attributes?: TallySelection["attributes"],
): Promise<Map<string, Tally>> {
  const sums = await subjectsInRanges(db, workspaceId, grain, unitRanges(grain, windows), {
    measures: Object.values(DSAR_MEASURES),
    keys: [...DSAR_REQUESTS],
    attributes,
  });
  const out = new Map<string, Tally>();
  for (const s of sums) {
    for (const t of tallyOf(out, s.i, s.key)) {
      if (s.measure === DSAR_MEASURES.completed) {
        t.completed += s.n;
        t.durations.push([Number(s.dim), s.n]);
      } else {
        const field = MEASURE_FIELD[s.measure];
        if (field) t[field] += s.n;
      }
    }
  }
  return out;
}

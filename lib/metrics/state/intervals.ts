// Distinct-subject counts over any range of buckets, as sums over a few rows per subject.
//
// For a range of bucket numbers [a, b], every measure is Σ n over the rows with a <= x and y <= b.
// A subject qualifies in [a, b] when some of its buckets fall in it ("runs" for consecutive buckets);
// the rows below make its Σ exactly 1 when it qualifies and 0 otherwise, whatever [a, b] is.

export const POS_INF = 2147483647;
export const NEG_INF = -2147483648;

export interface Run {
  lo: number;
  hi: number;
}

export type Emit = (x: number, y: number, n: number) => void;

/** Sorted, disjoint runs from possibly overlapping ones. */
export function mergeRuns(runs: Run[]): Run[] {
  const sorted = [...runs].sort((p, q) => p.lo - q.lo || p.hi - q.hi);
  const out: Run[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi) last.hi = Math.max(last.hi, r.hi);
    else out.push({ ...r });
  }
  return out;
}

export const marksToRuns = (marks: number[]): Run[] => marks.map((m) => ({ lo: m, hi: m }));

/**
 * The subject counts in [a, b] when a run intersects it; with `counts(j)`, only when the last run
 * that intersects it is one of those. Run j is the last one to intersect [a, b] iff
 * a <= hi_j, lo_j <= b and b < lo_{j+1}: the rows (hi_j, lo_j, +1) and (hi_j, lo_{j+1}, −1).
 */
export function lastIntersecting(runs: Run[], emit: Emit, counts: (j: number) => boolean = () => true): void {
  runs.forEach((r, j) => {
    if (!counts(j)) return;
    emit(r.hi, r.lo, 1);
    const next = runs[j + 1];
    if (next) emit(r.hi, next.lo, -1);
  });
}

/**
 * The subject counts in [a, b] when both a mark and a run fall in it. Witnesses are the smallest
 * intervals holding a mark and a run: [m, m] for a mark inside a run, else from the nearest run
 * end before the mark or to the nearest run start after it. The subject counts iff a witness
 * lies inside [a, b]; of the minimal witnesses (sorted, both ends increasing) those inside form
 * one block, counted once by +1 per witness (lo_j, hi_j) and −1 per neighbour pair (lo_j, hi_{j+1}).
 */
export function coOccurrence(marks: number[], runs: Run[], emit: Emit): void {
  if (!marks.length || !runs.length) return;
  const witnesses: Run[] = [];
  let j = 0;
  for (const m of marks) {
    while (j < runs.length && (runs[j] as Run).hi < m) j++;
    const after = runs[j];
    if (after && after.lo <= m) {
      witnesses.push({ lo: m, hi: m });
      continue;
    }
    const before = runs[j - 1];
    if (before) witnesses.push({ lo: before.hi, hi: m });
    if (after) witnesses.push({ lo: m, hi: after.lo });
  }
  const minimal = minimalIntervals(witnesses);
  minimal.forEach((w, k) => {
    emit(w.lo, w.hi, 1);
    const next = minimal[k + 1];
    if (next) emit(w.lo, next.hi, -1);
  });
}

/** The intervals that contain no other, sorted: both ends strictly increasing. */
function minimalIntervals(intervals: Run[]): Run[] {
  const sorted = [...intervals].sort((p, q) => p.lo - q.lo || p.hi - q.hi);
  const out: Run[] = [];
  for (const w of sorted) {
    const top = out[out.length - 1];
    if (top && top.lo === w.lo) continue;
    while (out.length && (out[out.length - 1] as Run).hi >= w.hi) out.pop();
    out.push(w);
  }
  return out;
}

/**
 * A condition on ranges [a, b] as signed rows: it holds Σ n over the rows with a <= x and y <= b
 * times. The product of two such conditions is the sum over pairs of rows of the row
 * (min x, max y, n · n'), since [a <= x][a <= x'] = [a <= min] and [y <= b][y' <= b] = [max <= b]:
 * conditions built from runs combine with "and" exactly.
 */
export interface Quad {
  x: number;
  y: number;
  n: number;
}

/** Some run intersects [a, b] (as `lastIntersecting`, all runs counted). */
export function anyRun(runs: Run[]): Quad[] {
  const out: Quad[] = [];
  lastIntersecting(runs, (x, y, n) => out.push({ x, y, n }));
  return out;
}

/** The first of the marks (sorted, distinct) inside [a, b] is marks[j]: a in (marks[j − 1], marks[j]] and marks[j] <= b. */
export function firstMarkIs(marks: number[], j: number): Quad[] {
  const m = marks[j] as number;
  const before = marks[j - 1];
  return before === undefined
    ? [{ x: m, y: m, n: 1 }]
    : [
        { x: m, y: m, n: 1 },
        { x: before, y: m, n: -1 },
      ];
}

/** Both conditions hold: pairwise rows, equal corners merged, zeros dropped. */
export function both(p: Quad[], q: Quad[]): Quad[] {
  const out = new Map<string, Quad>();
  for (const a of p) {
    for (const b of q) {
      const x = Math.min(a.x, b.x);
      const y = Math.max(a.y, b.y);
      const k = `${x},${y}`;
      const have = out.get(k);
      if (have) have.n += a.n * b.n;
      else out.set(k, { x, y, n: a.n * b.n });
    }
  }
  return [...out.values()].filter((r) => r.n !== 0);
}

/** The first condition and not the second (the second implies the first). */
export const minus = (p: Quad[], q: Quad[]): Quad[] => [...p, ...q.map((r) => ({ ...r, n: -r.n }))];

export const emitAll = (quads: Quad[], emit: Emit): void => quads.forEach((r) => emit(r.x, r.y, r.n));

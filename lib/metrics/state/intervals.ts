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

import { expect, test } from "vitest";
import {
  coOccurrence,
  lastIntersecting,
  marksToRuns,
  mergeRuns,
  POS_INF,
  type Run,
} from "@/lib/metrics/state/intervals";

// The rollup rows must count a subject exactly once in every range of buckets [a, b] where it
// qualifies, and never elsewhere: checked against the definition on random subjects.

const N = 16;
let state = 7;
const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const randomMarks = () =>
  [...new Set(Array.from({ length: Math.floor(random() * 5) }, () => Math.floor(random() * N)))].sort(
    (a, b) => a - b,
  );
const randomRuns = (): Run[] =>
  mergeRuns(
    Array.from({ length: Math.floor(random() * 4) }, () => {
      const lo = Math.floor(random() * N);
      return { lo, hi: random() < 0.2 ? POS_INF : lo + Math.floor(random() * 5) };
    }),
  );

function countIn(rows: [number, number, number][], a: number, b: number): number {
  return rows.reduce((sum, [x, y, n]) => sum + (a <= x && y <= b ? n : 0), 0);
}

function forEveryRange(check: (a: number, b: number) => void) {
  for (let a = 0; a < N + 4; a++) for (let b = a; b < N + 4; b++) check(a, b);
}

test("a subject counts in a range when one of its runs intersects it, and then by the label of the last one", () => {
  for (let trial = 0; trial < 300; trial++) {
    const runs = randomRuns();
    const labels = runs.map(() => random() < 0.5);
    const all: [number, number, number][] = [];
    const labelled: [number, number, number][] = [];
    lastIntersecting(runs, (x, y, n) => all.push([x, y, n]));
    lastIntersecting(
      runs,
      (x, y, n) => labelled.push([x, y, n]),
      (j) => labels[j] === true,
    );
    forEveryRange((a, b) => {
      const hits = runs.map((r, j) => ({ r, j })).filter(({ r }) => r.lo <= b && r.hi >= a);
      expect(countIn(all, a, b)).toBe(hits.length ? 1 : 0);
      expect(countIn(labelled, a, b)).toBe(hits.length && labels[hits[hits.length - 1]!.j] ? 1 : 0);
    });
  }
});

test("a subject counts in a range when both a mark and a run fall in it", () => {
  for (let trial = 0; trial < 300; trial++) {
    const marks = randomMarks();
    const runs = random() < 0.5 ? randomRuns() : marksToRuns(randomMarks());
    const rows: [number, number, number][] = [];
    coOccurrence(marks, runs, (x, y, n) => rows.push([x, y, n]));
    forEveryRange((a, b) => {
      const both = marks.some((m) => a <= m && m <= b) && runs.some((r) => r.lo <= b && r.hi >= a);
      expect(countIn(rows, a, b)).toBe(both ? 1 : 0);
    });
  }
});

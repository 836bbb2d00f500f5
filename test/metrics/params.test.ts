import { expect, test } from "vitest";
import { computeMetric } from "@/lib/metrics";
import { buckets } from "@/lib/metrics/buckets";
import { resolveParams } from "@/lib/metrics/params";
import type { Db } from "@/db/client";

const now = new Date("2026-11-23T16:00:00Z");

test.each([
  ["no period: the last 12 full months", {}, "2025-11-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z"],
  [
    "only `to`: the 12 months before it",
    { to: "2026-03-15" },
    "2025-03-15T00:00:00.000Z",
    "2026-03-15T00:00:00.000Z",
  ],
  [
    "only `from`, before this month: up to the start of this month",
    { from: "2026-06-01" },
    "2026-06-01T00:00:00.000Z",
    "2026-11-01T00:00:00.000Z",
  ],
  [
    "only `from`, in this month: up to the start of tomorrow",
    { from: "2026-11-02" },
    "2026-11-02T00:00:00.000Z",
    "2026-11-24T00:00:00.000Z",
  ],
  [
    "an instant with an offset is read in UTC",
    { from: "2026-01-01T01:00:00+01:00", to: "2026-02-01" },
    "2026-01-01T00:00:00.000Z",
    "2026-02-01T00:00:00.000Z",
  ],
])("the default period with %s", (_, raw, from, to) => {
  const p = resolveParams(raw, now);
  expect([p.from.toISOString(), p.to.toISOString()]).toEqual([from, to]);
});

test("`at` defaults to an explicit `to`, else to now", () => {
  expect(resolveParams({ to: "2026-03-01" }, now).at.toISOString()).toBe("2026-03-01T00:00:00.000Z");
  expect(resolveParams({}, now).at).toEqual(now);
});

test.each([
  ["from", { from: "2026-13-01" }],
  ["from", { from: "yesterday" }],
  ["from", { from: "2026-02-30" }],
  ["to", { to: "2026-04-31T10:00:00Z" }],
  ["from", { from: "2026-01-01T00:00:00" }],
  ["from", { from: "2026-03-01", to: "2026-02-01" }],
  ["from", { from: "2026-03-01", to: "2026-03-01" }],
  ["granularity", { granularity: "year" }],
  ["granularity", { from: "2000-01-01", to: "2026-01-01", granularity: "day" }],
  ["breakdown", { breakdown: "purpose" }],
])("a bad %s is a 400 that names it", (name, raw) => {
  expect(() => resolveParams(raw, now)).toThrow(new RegExp(`^${name}: `));
});

test.each([
  ["metric", "retention", {}],
  ["context", "churn", { context: "banner" }],
  ["breakdown", "withdrawals", { breakdown: "region" }],
])("computeMetric rejects a bad %s before reading anything", async (name, metric, raw) => {
  await expect(computeMetric({} as Db, 1, metric, raw)).rejects.toThrow(new RegExp(`^${name}: `));
});

test("buckets are calendar buckets in UTC, clipped to the period, labelled with their calendar start", () => {
  const b = buckets(new Date("2026-01-15T00:00:00Z"), new Date("2026-03-10T12:00:00Z"), "month");
  expect(b.map((x) => [x.period, x.start.toISOString(), x.end.toISOString()])).toEqual([
    ["2026-01-01", "2026-01-15T00:00:00.000Z", "2026-02-01T00:00:00.000Z"],
    ["2026-02-01", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"],
    ["2026-03-01", "2026-03-01T00:00:00.000Z", "2026-03-10T12:00:00.000Z"],
  ]);
  expect(
    buckets(new Date("2026-03-04T00:00:00Z"), new Date("2026-03-10T00:00:00Z"), "week").map((x) => x.period),
  ).toEqual(["2026-03-02", "2026-03-09"]);
});

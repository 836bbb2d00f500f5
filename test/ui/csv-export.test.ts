import { expect, test } from "vitest";
import { csvFilename, csvSource, withSource } from "@/app/_components/csv-source";
import { csvCell, tableCsv } from "@/app/_components/data-table";
import { dimensionName, humanize } from "@/app/_components/dimension-names";

test.each([
  ["a rate as the percentage the screen shows", 0.32142857, "rate", "32.1%"],
  ["a rate of zero", 0, "rate", "0.0%"],
  ["points with one decimal", 59.78767616460544, "points", "59.8"],
  ["money with two decimals, no currency sign or separator", 12345.678, "money", "12345.68"],
  ["a count as it is", 7247, undefined, 7247],
  ["another fraction to at most four decimals", 1.23456789, undefined, 1.2346],
  ["an empty rate stays empty", null, "rate", null],
  ["text stays text", "data-sharing", "rate", "data-sharing"],
] as const)("CSV: %s", (_rule, value, unit, expected) => {
  expect(csvCell(value, unit)).toBe(expected);
});

test.each([
  ["channel", "call_center", "Call center"],
  ["channel", "app", "App"],
  ["context", "checkout-step", "Checkout step"],
  ["region", "DE", "Germany"],
  ["region", "US-CA", "United States · CA"],
  ["region", "QQ-9", "QQ-9"],
  ["region", "somewhere", "somewhere"],
] as const)("a %s key %s reads as %s", (dimension, key, expected) => {
  expect(dimensionName("en-US", dimension, key)).toBe(expected);
});

test("humanize keeps an empty key as it is", () => {
  expect(humanize("")).toBe("");
});

const reading = (as_of: string, pending_events: number) => ({
  as_of,
  pending_events,
  consistency: "applied",
});
const optInView = {
  from: "2025-12-01",
  to: "2026-12-01",
  granularity: "month",
  channel: "app",
  region: "DE",
};

test("a metric table's CSV says on every row what it counts: as_of, pending_events and the API query", () => {
  const source = csvSource([["opt-in", optInView, reading("2026-12-02T13:10:00.000Z", 42)]]);
  const csv = tableCsv(
    {
      filename: "opt-in-by-purpose_2025-12-01_2026-12-01",
      rows: [
        { purpose: "ads", rate: 0.5 },
        { purpose: "analytics", rate: null },
      ],
      columns: [
        { key: "purpose", label: "Purpose", value: (r: { purpose: string }) => r.purpose },
        { key: "opt_in_rate", label: "Rate", unit: "rate", value: (r: { rate: number | null }) => r.rate },
      ],
    },
    source,
  );
  const query =
    "/api/v1/metrics/opt-in?channel=app&from=2025-12-01&granularity=month&region=DE&to=2026-12-01";
  expect(csv.split("\r\n")).toEqual([
    "purpose,opt_in_rate,as_of,pending_events,query",
    `ads,50.0%,2026-12-02T13:10:00.000Z,42,${query}`,
    `analytics,,2026-12-02T13:10:00.000Z,42,${query}`,
    "",
  ]);
});

test("a table made from several answers counts from the earliest as_of, the most pending, every query once", () => {
  const source = csvSource([
    ["opt-in", { from: "2026-01-01" }, reading("2026-12-02T13:10:05.000Z", 0)],
    ["withdrawals", { from: "2026-01-01" }, reading("2026-12-02T13:09:00.000Z", 7)],
    ["opt-in", { from: "2026-01-01" }, reading("2026-12-02T13:10:05.000Z", 0)],
  ]);
  expect(withSource(["purpose"], [["ads"]], source)).toEqual({
    header: ["purpose", "as_of", "pending_events", "query"],
    rows: [
      [
        "ads",
        "2026-12-02T13:09:00.000Z",
        7,
        "/api/v1/metrics/opt-in?from=2026-01-01 /api/v1/metrics/withdrawals?from=2026-01-01",
      ],
    ],
  });
});

test("a table that is not made from metric answers (events, settings, insights) is exported as it is", () => {
  expect(csvSource([["event-stats", {}, { sources: [] }]])).toBeUndefined();
  expect(withSource(["source", "events"], [["cmp", 3]], undefined)).toEqual({
    header: ["source", "events"],
    rows: [["cmp", 3]],
  });
  expect(csvFilename("event-sources", undefined)).toBe("event-sources");
});

test("the file name carries the view's filters, so exports of two filters are two names", () => {
  const source = csvSource([
    ["opt-in", { ...optInView, purpose: "ads", context: "check out" }, reading("2026-12-02T13:10:00Z", 0)],
  ]);
  expect(csvFilename("opt-in-by-purpose_2025-12-01_2026-12-01", source)).toBe(
    "opt-in-by-purpose_2025-12-01_2026-12-01_purpose-ads_region-DE_channel-app_context-check_out",
  );
});

test("a table's own column of the same name is kept, not doubled", () => {
  const source = csvSource([["dsar", {}, reading("2026-12-02T13:10:00Z", 0)]]);
  expect(withSource(["query", "n"], [["erasure", 1]], source).header).toEqual([
    "query",
    "n",
    "as_of",
    "pending_events",
  ]);
});

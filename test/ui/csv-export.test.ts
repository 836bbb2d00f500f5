import { expect, test } from "vitest";
import { csvCell } from "@/app/_components/data-table";
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

import { expect, test } from "vitest";
import { amountFromGroups, amountGroups } from "@/lib/metrics/state/amounts";

const summed = (amounts: string[]): number => {
  const groups = new Map<number, number>();
  for (const a of amounts)
    for (const g of amountGroups(a)) groups.set(g.group, (groups.get(g.group) ?? 0) + g.n);
  return amountFromGroups(groups);
};

test.each([
  [
    "11.91",
    [
      { group: 0, n: 11 },
      { group: 1, n: 910000 },
    ],
  ],
  ["12", [{ group: 0, n: 12 }]],
  ["0", []],
  ["0.000001", [{ group: 1, n: 1 }]],
  [
    "1234567.0000001",
    [
      { group: 0, n: 234567 },
      { group: -1, n: 1 },
      { group: 2, n: 100000 },
    ],
  ],
  [
    "-2.5",
    [
      { group: 0, n: -2 },
      { group: 1, n: -500000 },
    ],
  ],
])("an amount is split into six-digit groups at the decimal point: %s", (text, groups) => {
  expect(amountGroups(text)).toEqual(groups);
});

test.each([
  [["11.91", "12.78", "0.1", "0.2"], 24.99],
  [["0.30000000000000004", "0.1"], 0.40000000000000004],
  [["999999999999.99", "0.01"], 1e12],
  [["5", "-5"], 0],
  [["0.000001", "1000000"], 1000000.000001],
])("summed groups give the number of the exact decimal sum: %j", (amounts, want) => {
  expect(summed(amounts)).toBe(want);
});

test("100,000 amounts of six decimals sum exactly (the groups stay below 2^53)", () => {
  expect(summed(Array.from({ length: 100_000 }, () => "999999.999999"))).toBe(99999999999.9);
});

test("anything but a plain decimal is refused", () => {
  expect(() => amountGroups("1e-7")).toThrow(/not a decimal amount/);
});

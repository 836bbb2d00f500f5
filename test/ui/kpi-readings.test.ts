import { expect, test } from "vitest";
import { trustIndexIncomparable, trustIndexReading } from "@/app/_components/kpi-readings";
import { COMPONENTS } from "@/app/_components/trust-components";
import type { TrustIndexMonth } from "@/lib/metrics/types";

const f = { locale: "en-US", currency: "EUR" };

test("the Trust Index's counts name how many of all its components were measured, and which were left out by name", () => {
  const components = Object.fromEntries(COMPONENTS.map((c) => [c, 0.5])) as TrustIndexMonth["components"];
  components.accountability = null;
  const month: TrustIndexMonth = {
    period: "2026-10-01",
    index: 68.8,
    components,
    left_out: ["accountability"],
    not_enough_data: ["accountability"],
    samples: Object.fromEntries(COMPONENTS.map((c) => [c, 100])) as TrustIndexMonth["samples"],
    weights: {},
  };
  expect(COMPONENTS).toHaveLength(7);
  expect(trustIndexReading(month).counts(f)).toBe(
    "68.8 of 100 from 6 of 7 components; left out for lack of data: Accountability.",
  );
});

const monthOf = (index: number, measured: readonly string[]): TrustIndexMonth => ({
  period: "2026-10-01",
  index,
  components: Object.fromEntries(
    COMPONENTS.map((c) => [c, measured.includes(c) ? 0.5 : null]),
  ) as TrustIndexMonth["components"],
  left_out: COMPONENTS.filter((c) => !measured.includes(c)),
  not_enough_data: [],
  samples: Object.fromEntries(COMPONENTS.map((c) => [c, 100])) as TrustIndexMonth["samples"],
  weights: {},
});

test("two months' Trust Indexes made of different components are not compared, and the tile says which differ", () => {
  const all = COMPONENTS;
  const four = ["retention", "minimisation", "transparency", "accountability"];
  expect(trustIndexIncomparable(monthOf(77.4, four), monthOf(68.8, all), "Nov 2026", "Oct 2026")).toBe(
    "not the same components; Consent, Reciprocity, Trust survey measured in Oct 2026 but not in Nov 2026",
  );
  expect(trustIndexIncomparable(monthOf(70, all), monthOf(68.8, four), "Nov 2026", "Oct 2026")).toBe(
    "not the same components; Consent, Reciprocity, Trust survey measured in Nov 2026 but not in Oct 2026",
  );
  expect(trustIndexIncomparable(monthOf(70, all), monthOf(68.8, all), "Nov 2026", "Oct 2026")).toBeNull();
  // Without a value on either side there is nothing to compare: the tile says "no data" as before.
  expect(trustIndexIncomparable({ ...monthOf(0, []), index: null }, monthOf(68.8, all), "a", "b")).toBeNull();
});

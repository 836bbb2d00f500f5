import { expect, test } from "vitest";
import { trustIndexReading } from "@/app/_components/kpi-readings";
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

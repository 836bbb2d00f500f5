import { beforeAll, expect, test } from "vitest";
import { computeMetric } from "@/lib/metrics";
import { OVERALL_KPIS, type OverallResponse } from "@/lib/metrics/types";
import { kpiOf } from "@/lib/metrics/overall-rates";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { fixtureEvents, fixtureJson } from "../helpers/fixtures";
import { ingest } from "./helpers";

type Items = Record<string, number>[];
const expected = fixtureJson<{
  from: string;
  to: string;
  "opt-in": { purposes: Items };
  withdrawals: { purposes: Items };
  reciprocity: { purposes: Items };
  "dormant-data": { fields: Items };
  churn: { overall: { active: number; churned: number } };
}>("basic", "expected.json");
const sum = (items: Items, key: string) => items.reduce((t, x) => t + (x[key] ?? 0), 0);
const rateOf = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
  await ingest(ws.db, ws.id, fixtureEvents("basic"));
}, 300_000);

test("the overall KPIs of the basic fixture are its expected counts summed across purposes and fields", async () => {
  const r = (await computeMetric(ws.db, ws.id, "overall", {
    from: expected.from,
    to: expected.to,
  })) as OverallResponse;
  const now = Object.fromEntries(Object.entries(r.kpis).map(([k, v]) => [k, { ...v, previous: undefined }]));
  const optIn = expected["opt-in"].purposes;
  const w = expected.withdrawals.purposes;
  const rec = expected.reciprocity.purposes;
  const fields = expected["dormant-data"].fields;
  expect(JSON.parse(JSON.stringify(now))).toEqual({
    opt_in_rate: rateOf(sum(optIn, "granted"), sum(optIn, "answered")),
    withdrawal_rate: rateOf(sum(w, "withdrawn"), sum(w, "consenting")),
    reciprocity: rateOf(sum(rec, "used_and_valued"), sum(rec, "used")),
    dormant_share: rateOf(sum(fields, "dormant"), sum(fields, "holdings")),
    churn_rate: rateOf(expected.churn.overall.churned, expected.churn.overall.active),
  });
  expect(now.opt_in_rate?.denominator).toBeGreaterThan(0);
  expect(now.dormant_share?.numerator).toBeGreaterThan(0);
});

test("the comparison is the period of equal length before, counted the same way", async () => {
  const r = (await computeMetric(ws.db, ws.id, "overall", {
    from: expected.from,
    to: expected.to,
  })) as OverallResponse;
  // January to June 2026 is 181 days: the 181 days before it.
  expect(r.previous).toEqual({ from: "2025-07-04T00:00:00Z", to: "2026-01-01T00:00:00Z" });
  const before = (await computeMetric(ws.db, ws.id, "overall", r.previous)) as OverallResponse;
  for (const [k, v] of Object.entries(r.kpis))
    expect(v.previous).toEqual({ ...before.kpis[k as keyof OverallResponse["kpis"]], previous: undefined });
  const churn = await computeMetric(ws.db, ws.id, "churn", r.previous);
  if (churn.metric !== "churn") throw new Error("expected churn");
  expect(kpiOf(r, "churn_rate").previous).toEqual(rateOf(churn.overall.churned, churn.overall.active));
});

test("asked with kpi, overall computes that KPI alone: the same numbers as in the whole answer; other metrics refuse kpi", async () => {
  const period = { from: expected.from, to: expected.to, region: "DE" };
  const whole = (await computeMetric(ws.db, ws.id, "overall", period)) as OverallResponse;
  expect(Object.keys(whole.kpis)).toEqual([...OVERALL_KPIS]);
  for (const kpi of OVERALL_KPIS) {
    const one = (await computeMetric(ws.db, ws.id, "overall", { ...period, kpi })) as OverallResponse;
    expect(Object.keys(one.kpis)).toEqual([kpi]);
    expect(one.kpis[kpi]).toEqual(whole.kpis[kpi]);
    expect(one.previous).toEqual(whole.previous);
  }
  await expect(computeMetric(ws.db, ws.id, "overall", { ...period, kpi: "trust" })).rejects.toThrow(
    /^kpi: expected opt_in_rate, withdrawal_rate, reciprocity, dormant_share, churn_rate$/,
  );
  await expect(computeMetric(ws.db, ws.id, "opt-in", { ...period, kpi: "opt_in_rate" })).rejects.toThrow(
    "kpi: only the overall metric takes a kpi",
  );
  expect(() => kpiOf({ ...whole, kpis: { churn_rate: whole.kpis.churn_rate } }, "opt_in_rate")).toThrow(
    "this overall answer has no opt_in_rate",
  );
});

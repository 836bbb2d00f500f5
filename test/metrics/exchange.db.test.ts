import { sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { rows } from "@/db/client";
import { churnAfterWithdrawal } from "@/lib/insights/churn-after-withdrawal";
import { computeMetric } from "@/lib/metrics";
import { filterOptions } from "@/lib/metrics/filter-values";
import { loadScope } from "@/lib/metrics/scope";
import { rebuildMetricState } from "@/lib/metrics/state";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { parseSuppressionQuery, readSuppression } from "@/lib/suppression";
import { applyWorkspaceConfig } from "@/lib/workspaces";
import { afterBulkLoad, freshWorkspace, type TestWorkspace } from "../helpers/db";
import { fixtureEvents, fixtureJson } from "../helpers/fixtures";
import { expectSame, ingest } from "./helpers";

// The exchange fixture (test/fixtures/README.md): opt-out channels, data requests, control, first
// use and fair exchange, and the Trust Index with its accountability component.
const events = fixtureEvents("exchange");
const config = fixtureJson("exchange", "workspace.json");
const expected = fixtureJson<
  Record<string, unknown> & { from: string; to: string; at: string; suppression: object }
>("exchange", "expected.json");
const query = { from: expected.from, to: expected.to, granularity: "month", at: expected.at };
const METRICS = [
  "opt-in",
  "withdrawals",
  "reciprocity",
  "dormant-data",
  "churn",
  "trust-score",
  "trust-index",
  "dsar",
  "control-effect",
  "first-use",
  "fair-exchange",
] as const;

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await freshWorkspace(config);
  await ingest(ws.db, ws.id, events);
  await afterBulkLoad(ws.db, ws.id);
}, 600_000);

test("the fixture names every metric it checks", () => {
  expect(
    Object.keys(expected)
      .filter((k) => !["from", "to", "granularity", "at", "suppression", "settings"].includes(k))
      .sort(),
  ).toEqual([...METRICS].sort());
});

test.each(METRICS)(
  "%s of the exchange fixture matches expected.json, from the rollups and from the raw events",
  async (metric) => {
    expectSame(expected[metric], await computeMetric(ws.db, ws.id, metric, query));
    expectSame(expected[metric], await computeMetric(ws.db, ws.id, metric, query, { path: "reference" }));
  },
);

test("ingestion kept rollup rows for every new measure, built with the workspace's settings", async () => {
  await catchUpMetricState(ws.db, ws.id);
  const found = await rows<{ measure: string }>(
    ws.db,
    sql`SELECT DISTINCT measure FROM metric_tally WHERE workspace_id = ${ws.id} AND grain = 'month' AND n <> 0`,
  );
  const measures = found.map((r) => r.measure);
  for (const m of [
    "withdrawn.source",
    "fx.consenting",
    "fx.withdrawn",
    "dsar.opened",
    "dsar.completed",
    "dsar.due",
    "dsar.open",
    "control.active",
    "control",
  ])
    expect(measures).toContain(m);
  const scope = await loadScope(ws.db, ws.id);
  expect([scope.rollupsReady, scope.rollupDsarDueDays, scope.rollupControlSources]).toEqual([
    true,
    30,
    ["preference_center"],
  ]);
});

test("after the due days or control sources change, dsar and control-effect read the raw events until the rollups are rebuilt", async () => {
  const other = await freshWorkspace({ ...(config as object), dsar_due_days: 30 });
  await ingest(other.db, other.id, events, 5000);
  await applyWorkspaceConfig(other.db, other.id, {
    dsar_due_days: 10,
    control_sources: ["preference_center", "account_settings"],
  });
  for (const metric of ["dsar", "control-effect", "trust-index"]) {
    const fast = await computeMetric(other.db, other.id, metric, query);
    expectSame(await computeMetric(other.db, other.id, metric, query, { path: "reference" }), fast);
  }
  const changed = (await computeMetric(other.db, other.id, "control-effect", query)) as {
    used_control: { active: number };
  };
  expect(changed.used_control.active).toBeGreaterThan(
    (expected["control-effect"] as { used_control: { active: number } }).used_control.active,
  );
  await rebuildMetricState(other.db, other.id);
  expect((await loadScope(other.db, other.id)).rollupDsarDueDays).toBe(10);
  for (const metric of ["dsar", "control-effect"]) {
    expectSame(
      await computeMetric(other.db, other.id, metric, query, { path: "reference" }),
      await computeMetric(other.db, other.id, metric, query),
    );
  }
}, 300_000);

test.each(Object.keys(expected.suppression as object))(
  "the suppression list of %s matches expected.json",
  async (purpose) => {
    const want = (expected.suppression as Record<string, { count: number; subjects: unknown[] }>)[purpose]!;
    const got = await readSuppression(ws.db, ws.id, parseSuppressionQuery({ purpose, at: expected.at }));
    expectSame(want, got);
    expect(got.subjects).toEqual(want.subjects);
  },
);

test("a region, channel or context no event has is a 400 naming it and the values there are", async () => {
  const regions = (await filterOptions(ws.db, ws.id)).regions;
  expect(regions).toContain("DE");
  for (const metric of ["opt-in", "churn", "trust-index"]) {
    await expect(computeMetric(ws.db, ws.id, metric, { ...query, region: "UK" })).rejects.toThrow(
      `region: no event has region 'UK' in this workspace (seen: ${regions.join(", ")})`,
    );
    await expect(
      computeMetric(ws.db, ws.id, metric, { ...query, region: "DE", channel: "fax" }),
    ).rejects.toThrow(/^channel: no event has channel 'fax' in this workspace \(seen: .*web/);
  }
  await expect(computeMetric(ws.db, ws.id, "opt-in", { ...query, context: "nowhere" })).rejects.toThrow(
    /^context: no consent event was asked in context 'nowhere' in this workspace \(seen: .*checkout/,
  );
  await expect(
    churnAfterWithdrawal(ws.db, ws.id, { from: query.from, to: query.to, region: "UK" }),
  ).rejects.toThrow(/^region: no event has region 'UK'/);
  // Known values answer as before (expected-filters.json holds their numbers).
  expect(
    (await computeMetric(ws.db, ws.id, "opt-in", { ...query, region: "DE", channel: "web" })).metric,
  ).toBe("opt-in");
});

test("dsar and control-effect are not per purpose: a known purpose changes nothing, an unknown one is a 400", async () => {
  for (const metric of ["dsar", "control-effect"]) {
    expectSame(expected[metric], await computeMetric(ws.db, ws.id, metric, { ...query, purpose: "ads" }));
    await expect(computeMetric(ws.db, ws.id, metric, { ...query, purpose: "telemarketing" })).rejects.toThrow(
      /^purpose: unknown purpose 'telemarketing'/,
    );
  }
});

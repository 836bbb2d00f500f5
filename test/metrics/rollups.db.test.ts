import { sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { rows } from "@/db/client";
import { computeMetric } from "@/lib/metrics";
import { loadScope } from "@/lib/metrics/scope";
import { rebuildMetricState } from "@/lib/metrics/state";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { DEFAULT_END, generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { applyWorkspaceConfig } from "@/lib/workspaces";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { bothPaths, expectSame, ingest } from "./helpers";

// Seed data arrives one customer at a time, with late duplicates and swapped pairs; loading it in
// reverse batches as well puts most of every subject's history out of order.
let ws: TestWorkspace;
beforeAll(async () => {
  const seed = [...generateSeedEvents({ events: 30_000, end: DEFAULT_END })];
  ws = await freshWorkspace(demoWorkspaceConfig);
  const batches: unknown[][] = [];
  for (let i = 0; i < seed.length; i += 5000) batches.push(seed.slice(i, i + 5000));
  for (const batch of batches.reverse()) await ingest(ws.db, ws.id, batch, 5000);
}, 300_000);

const year = { from: "2025-11-01", to: "2026-11-01" };
const VIEWS: [string, string, Record<string, string>][] = [
  [
    "a 12-month monthly view",
    "opt-in withdrawals reciprocity churn trust-score trust-index",
    { ...year, granularity: "month" },
  ],
  [
    "a 90-day daily view",
    "opt-in withdrawals reciprocity churn trust-score",
    { from: "2026-08-03", to: "2026-11-01", granularity: "day" },
  ],
  [
    "weekly buckets with a clipped first week",
    "opt-in withdrawals reciprocity churn trust-score",
    { from: "2026-03-05", to: "2026-07-01", granularity: "week" },
  ],
  [
    "monthly buckets clipped at both ends",
    "opt-in withdrawals reciprocity churn trust-score trust-index",
    { from: "2026-02-10", to: "2026-06-20", granularity: "month" },
  ],
  [
    "a purpose filter",
    "opt-in withdrawals reciprocity churn trust-index",
    { ...year, purpose: "personalised-offers" },
  ],
  ["a context filter", "opt-in", { ...year, context: "checkout" }],
  ["a breakdown by context", "opt-in", { ...year, breakdown: "context" }],
  ["a breakdown by region", "opt-in", { ...year, breakdown: "region", granularity: "week" }],
  ["a region filter (answered from the raw events)", "opt-in churn", { ...year, region: "DE" }],
];

test.each(VIEWS)("the rollups give the raw events' numbers for %s", async (_, metrics, query) => {
  expect((await loadScope(ws.db, ws.id)).rollupsReady).toBe(true);
  for (const metric of metrics.split(" ")) {
    const { fast, reference } = await bothPaths(ws.db, ws.id, metric, query);
    expectSame(reference, fast);
  }
});

test("dormant data from the rollups equals the raw events' at day boundaries, with bulk uses in and out of the window", async () => {
  for (const at of ["2026-01-01", "2026-04-14", "2026-08-01", "2026-11-01", "2027-03-01"]) {
    const { fast, reference } = await bothPaths(ws.db, ws.id, "dormant-data", { at });
    expectSame(reference, fast);
    expect((fast as { fields: { holdings: number }[] }).fields.some((f) => f.holdings > 0)).toBe(true);
  }
  const { fast, reference } = await bothPaths(ws.db, ws.id, "dormant-data", {
    at: "2026-06-01",
    purpose: "order-updates",
  });
  expectSame(reference, fast);
});

test("rebuilding the rollups from the events gives the rows that ingestion kept", async () => {
  const snapshot = async () => ({
    tally: await rows(
      ws.db,
      sql`SELECT grain, measure, key, dim, x, y, z, n::text FROM metric_tally WHERE workspace_id = ${ws.id} AND n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    ),
    value: await rows(
      ws.db,
      sql`SELECT purpose, day, currency, amount::text FROM metric_value_daily WHERE workspace_id = ${ws.id} ORDER BY 1, 2, 3`,
    ),
  });
  await catchUpMetricState(ws.db, ws.id);
  const kept = await snapshot();
  expect(kept.tally.length).toBeGreaterThan(1000);
  await rebuildMetricState(ws.db, ws.id);
  expect(await snapshot()).toEqual(kept);
});

test("after a field's dormancy window changes, its dormant data is read from the events until the rollups are rebuilt", async () => {
  const ws2 = await freshWorkspace(demoWorkspaceConfig);
  await ingest(ws2.db, ws2.id, [...generateSeedEvents({ events: 3000, end: DEFAULT_END })], 3000);
  const shorter = {
    ...demoWorkspaceConfig,
    fields: demoWorkspaceConfig.fields.map((f) => (f.key === "email" ? { ...f, dormancy_days: 20 } : f)),
  };
  await applyWorkspaceConfig(ws2.db, ws2.id, shorter);
  expect((await loadScope(ws2.db, ws2.id)).rollupWindows.email).toBe(180);
  const changed = await bothPaths(ws2.db, ws2.id, "dormant-data", { at: "2026-10-01" });
  expectSame(changed.reference, changed.fast);
  await rebuildMetricState(ws2.db, ws2.id);
  expect((await loadScope(ws2.db, ws2.id)).rollupWindows.email).toBe(20);
  expectSame(changed.reference, await computeMetric(ws2.db, ws2.id, "dormant-data", { at: "2026-10-01" }));
});

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
import { afterBulkLoad, freshWorkspace, type TestWorkspace } from "../helpers/db";
import { churnAfterWithdrawal } from "@/lib/insights/churn-after-withdrawal";
import { dataInventory } from "@/lib/inventory";
import { suppressionSummary } from "@/lib/suppression/summary";
import {
  bothPaths,
  eventReads,
  expectSame,
  ingest,
  recordedEventReads,
  rollupDigests,
  withMovers,
} from "./helpers";

// Seed data arrives one customer at a time, with late duplicates and swapped pairs; loading it in
// reverse batches as well puts most of every subject's history out of order. Some subjects move:
// an event weeks later (or the same day) gives them another region or channel, or both.

// The same cases and events on every database (PGlite took 10,000 instead of 30,000 while its raw-event
// references ran on stale statistics: see afterBulkLoad).
const SEED_EVENTS = 15_000;

let ws: TestWorkspace;
beforeAll(async () => {
  const generated: unknown[] = [...generateSeedEvents({ events: SEED_EVENTS, end: DEFAULT_END })];
  const seed = withMovers(generated as Record<string, unknown>[], {
    every: 23,
    steps: 3,
    stepDays: 17,
    offsetMs: 3_600_000,
    keepChannelEvery: 5,
  });
  ws = await freshWorkspace(demoWorkspaceConfig);
  const batches: unknown[][] = [];
  for (let i = 0; i < seed.length; i += 5000) batches.push(seed.slice(i, i + 5000));
  for (const batch of batches.reverse()) await ingest(ws.db, ws.id, batch, 5000);
  await afterBulkLoad(ws.db, ws.id);
}, 600_000);

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
  [
    "a region filter, 12 months",
    "opt-in withdrawals reciprocity churn trust-score trust-index dsar control-effect fair-exchange",
    { ...year, granularity: "month", region: "DE" },
  ],
  [
    "a channel filter, 90 days daily",
    "opt-in churn trust-score dsar reciprocity trust-index",
    { from: "2026-08-03", to: "2026-11-01", granularity: "day", channel: "web" },
  ],
  [
    "a channel filter, 12 months",
    "reciprocity trust-index",
    { ...year, granularity: "month", channel: "web" },
  ],
  [
    "a region filter, 90 days daily",
    "reciprocity trust-index",
    { from: "2026-08-03", to: "2026-11-01", granularity: "day", region: "DE" },
  ],
  [
    "region and channel together, 90 days daily",
    "reciprocity trust-index",
    { from: "2026-08-03", to: "2026-11-01", granularity: "day", region: "DE", channel: "web" },
  ],
  [
    "region and channel together, weekly with a clipped first week",
    "opt-in withdrawals reciprocity churn trust-score",
    { from: "2026-03-05", to: "2026-07-01", granularity: "week", region: "US-CA", channel: "app" },
  ],
  [
    "region and channel together, months clipped at both ends",
    "opt-in withdrawals reciprocity churn trust-score trust-index control-effect fair-exchange",
    { from: "2026-02-10", to: "2026-06-20", granularity: "month", region: "GB", channel: "store" },
  ],
  [
    "a channel filter with a purpose",
    "opt-in withdrawals churn",
    { ...year, channel: "app", purpose: "personalised-offers" },
  ],
  ["a breakdown by channel under a region filter", "opt-in", { ...year, region: "FR", breakdown: "channel" }],
  [
    "a breakdown by region, daily",
    "opt-in",
    { from: "2026-08-03", to: "2026-11-01", granularity: "day", breakdown: "region" },
  ],
];

test.each(VIEWS)(
  "the rollups give the raw events' numbers for %s",
  async (_, metrics, query) => {
    expect((await loadScope(ws.db, ws.id)).rollupsReady).toBe(true);
    for (const metric of metrics.split(" ")) {
      const { fast, reference } = await bothPaths(ws.db, ws.id, metric, query);
      expectSame(reference, fast);
    }
  },
  600_000,
);

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

const FILTERS = [{ region: "DE" }, { channel: "web" }, { region: "GB", channel: "store" }];

test("dormant data at an instant inside a day equals the raw events': the rollups at the day's start and that day's customers, not the history", async () => {
  // A bulk use b of a field with window W: at b + W it has just left the window (dormancy counts again), 1 ms
  // before it is still in (none dormant).
  const scope = await loadScope(ws.db, ws.id);
  const [bulk] = await rows<{ field: string; at: string | Date }>(
    ws.db,
    sql`SELECT field, occurred_at AS at FROM events WHERE workspace_id = ${ws.id} AND subject IS NULL AND type = 'data.used'
        ORDER BY occurred_at LIMIT 1`,
  );
  expect(bulk).toBeDefined();
  const days = scope.fields.find((f) => f.key === bulk!.field)!.dormancyDays;
  const edge = new Date(bulk!.at).getTime() + days * 86_400_000;
  const instants = [
    "2026-01-01T00:00:00.001Z",
    "2026-04-14T12:34:56.789Z",
    "2026-08-01T23:59:59.999Z",
    "2026-10-31T18:00:00Z",
    new Date(edge).toISOString(),
    new Date(edge - 1).toISOString(),
  ];
  // The edge must fall inside a day for this to test it.
  expect(edge % 86_400_000).not.toBe(0);
  for (const filter of [{}, ...FILTERS])
    for (const at of instants) {
      const { fast, reference } = await bothPaths(ws.db, ws.id, "dormant-data", { ...filter, at });
      expectSame(reference, fast);
    }
  const edgeCounts = async (at: number) =>
    (
      (await computeMetric(ws.db, ws.id, "dormant-data", { at: new Date(at).toISOString() })) as {
        fields: { field: string; holdings: number; dormant: number }[];
      }
    ).fields.find((f) => f.field === bulk!.field)!;
  expect((await edgeCounts(edge - 1)).dormant).toBe(0);
  expect((await edgeCounts(edge)).holdings).toBeGreaterThan(0);
  for (const filter of [{}, ...FILTERS]) {
    const reads = await eventReads(ws.db, ws.id, "dormant-data", {
      ...filter,
      at: "2026-04-14T12:34:56.789Z",
    });
    // The raw-event path takes every customer's latest collection or deletion of every field up to the instant.
    expect(reads.filter((s) => s.includes("DISTINCT ON (e.subject, e.field)"))).toEqual([]);
  }
}, 600_000);

test.each(FILTERS)(
  "dormant data under %o from the rollups equals the raw events' (movers, bulk uses, at inside a day too)",
  async (filter) => {
    for (const at of [
      "2026-01-01",
      "2026-04-14",
      "2026-08-01",
      "2026-11-01",
      "2027-03-01",
      "2026-06-10T13:00:00Z",
    ]) {
      const { fast, reference } = await bothPaths(ws.db, ws.id, "dormant-data", { ...filter, at });
      expectSame(reference, fast);
      if (at === "2026-11-01")
        expect((fast as { fields: { holdings: number }[] }).fields.some((f) => f.holdings > 0)).toBe(true);
    }
    const { fast, reference } = await bothPaths(ws.db, ws.id, "dormant-data", {
      ...filter,
      at: "2026-06-01",
      purpose: "order-updates",
    });
    expectSame(reference, fast);
  },
  600_000,
);

test.each(FILTERS)(
  "under %o reciprocity, dormant data and the Trust Index are read from the rollups, not the events",
  async (filter) => {
    const daily = { from: "2026-08-03", to: "2026-11-01", granularity: "day", ...filter };
    expect(
      await eventReads(ws.db, ws.id, "reciprocity", { ...year, granularity: "month", ...filter }),
    ).toEqual([]);
    expect(await eventReads(ws.db, ws.id, "reciprocity", daily)).toEqual([]);
    expect(await eventReads(ws.db, ws.id, "trust-index", { ...year, ...filter })).toEqual([]);
    expect(await eventReads(ws.db, ws.id, "trust-index", daily)).toEqual([]);
    // Dormant data reads the events of one day per field: the day of the latest use the rollups point to.
    const dormant = await eventReads(ws.db, ws.id, "dormant-data", { at: "2026-11-01", ...filter });
    expect(dormant).toHaveLength(1);
    expect(dormant[0]).toContain("to_timestamp((l.x - 1)::float8 * 86400)");
  },
);

test.each([{}, ...FILTERS])(
  "under %o churn after withdrawal splits the churn metric's customers as the raw events do, without a pass over the history",
  async (filter) => {
    for (const period of [
      year,
      { from: "2026-08-03", to: "2026-11-01" },
      // Part-days at both ends: the totals come from the events, the split the same way.
      { from: "2026-02-10T06:00:00Z", to: "2026-06-20T18:00:00Z" },
    ]) {
      const query = { ...period, ...filter };
      const fast = await churnAfterWithdrawal(ws.db, ws.id, query);
      const reference = await churnAfterWithdrawal(ws.db, ws.id, query, { path: "reference" });
      expectSame(reference, fast);
      // The seed's customers arrive within the year: active at its start are none.
      if (period !== year) expect(fast.withdrew.active + fast.did_not_withdraw.active).toBeGreaterThan(0);
      if (period !== year && Object.keys(filter).length === 0)
        expect(fast.withdrew.churned).toBeGreaterThan(0);
    }
    // The whole-day period reads the events of the period's withdrawals and of their subjects, never every
    // customer's first event (the reference's GROUP BY over the history).
    const sent = await recordedEventReads(ws.db, (db) =>
      churnAfterWithdrawal(
        db,
        ws.id,
        { from: "2026-08-03", to: "2026-11-01", ...filter },
        { consistency: "applied" },
      ),
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const statement of sent) expect(statement).toContain("e.subject = wd.subject");
  },
);

test.each([
  { from: "2025-11-01", to: "2026-11-01" },
  { from: "2026-03-05T07:30:00Z", to: "2026-09-17T16:45:00Z" },
  { from: "2026-06-10T02:00:00Z", to: "2026-06-10T20:00:00Z" },
])(
  "the data inventory's uses and last uses per field and purpose over %o equal the raw events'",
  async (period) => {
    const fast = await dataInventory(ws.db, ws.id, period);
    const reference = await dataInventory(ws.db, ws.id, period, { path: "reference" });
    expectSame(reference, fast);
    expect(fast.fields.some((f) => f.cells.some((c) => c.uses > 0))).toBe(true);
  },
);

test("the suppression lists' counts from the rollups and one day's consent events equal the raw events'", async () => {
  for (const at of [
    "2025-10-01T00:00:00Z",
    "2026-03-01T00:00:00Z",
    // Inside a day: the customers whose consent changed since midnight are moved by hand.
    "2026-06-10T13:37:00Z",
    "2026-10-31T23:59:59.999Z",
    "2026-11-01T00:00:00Z",
    "2027-02-01T12:00:00Z",
  ]) {
    const instant = new Date(at);
    const fast = await suppressionSummary(ws.db, ws.id, instant);
    const reference = await suppressionSummary(ws.db, ws.id, instant, { path: "reference" });
    expectSame(reference, fast);
    if (at >= "2026-03") expect(fast.purposes.some((p) => p.denied > 0 && p.withdrawn > 0)).toBe(true);
  }
  // Inside a day it reads the consent events of that day only, never every customer's latest consent.
  const sent = await recordedEventReads(ws.db, (db) =>
    suppressionSummary(db, ws.id, new Date("2026-06-10T13:37:00Z"), { consistency: "applied" }),
  );
  expect(sent.length).toBeGreaterThan(0);
  for (const statement of sent) expect(statement).not.toContain("DISTINCT ON");
});

test("rebuilding the rollups from the events gives the rows that ingestion kept, attributed ones included", async () => {
  // A workspace of its own, smaller than the suite's (a rebuild of 30,000 events took two of CI's minutes per
  // database, of 6,000 about 30 s), loaded the same way: movers, reverse batches, so most histories arrive out of
  // order.
  const generated: unknown[] = [...generateSeedEvents({ events: 3000, end: DEFAULT_END })];
  const seed = withMovers(generated as Record<string, unknown>[], {
    every: 7,
    steps: 3,
    stepDays: 17,
    offsetMs: 3_600_000,
    keepChannelEvery: 5,
  });
  const own = await freshWorkspace(demoWorkspaceConfig);
  const batches: unknown[][] = [];
  for (let i = 0; i < seed.length; i += 1000) batches.push(seed.slice(i, i + 1000));
  for (const batch of batches.reverse()) await ingest(own.db, own.id, batch, 1000);
  const total = (groups: { n: number }[]) => groups.reduce((sum, g) => sum + Number(g.n), 0);
  await catchUpMetricState(own.db, own.id);
  const kept = await rollupDigests(own.db, own.id);
  expect(total(kept.tally)).toBeGreaterThan(1000);
  expect(total(kept.attributed)).toBeGreaterThan(total(kept.tally));
  expect(kept.attributed.length).toBeGreaterThan(5);
  await rebuildMetricState(own.db, own.id);
  expect(await rollupDigests(own.db, own.id)).toEqual(kept);
}, 300_000);

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

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { rows } from "@/db/client";
import { computeMetric } from "@/lib/metrics";
import { firstUseFromEvents, firstUseFromState } from "@/lib/metrics/first-use";
import { resolveParams } from "@/lib/metrics/params";
import { loadScope } from "@/lib/metrics/scope";
import { rebuildMetricState } from "@/lib/metrics/state";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { DEFAULT_END, generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { applyWorkspaceConfig } from "@/lib/workspaces";
import type { FirstUseResponse } from "@/lib/metrics/types";
import { afterBulkLoad, freshWorkspace, type TestWorkspace } from "../helpers/db";
import { expectSame, ingest, withMovers } from "./helpers";

// First use from `metric_first_use` against the raw events, on seed data where some customers move
// region or channel (before and after their first collection, inside the period and after it),
// loaded in reverse batches so most histories arrive out of order.

const year = { from: "2025-11-01", to: "2026-11-01" };

describe("on seed data where customers move", () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    const generated: unknown[] = [...generateSeedEvents({ events: 12_000, end: DEFAULT_END })];
    const seed = withMovers(generated as Record<string, unknown>[], {
      every: 19,
      steps: 4,
      stepDays: 23,
      offsetMs: 5_400_000,
      keepChannelEvery: 3,
    });
    ws = await freshWorkspace(demoWorkspaceConfig);
    const batches: unknown[][] = [];
    for (let i = 0; i < seed.length; i += 3000) batches.push(seed.slice(i, i + 3000));
    for (const batch of batches.reverse()) await ingest(ws.db, ws.id, batch, 3000);
    await afterBulkLoad(ws.db, ws.id);
  }, 600_000);

  /** Both paths of first-use for one query: the state path must answer, and give the raw events' numbers. */
  async function bothFirstUse(query: Record<string, string>): Promise<FirstUseResponse> {
    const scope = await loadScope(ws.db, ws.id);
    const params = resolveParams(query);
    const fast = await firstUseFromState(ws.db, scope, params);
    expect(fast).not.toBeNull();
    const reference = await firstUseFromEvents(ws.db, scope, params);
    expectSame(reference, fast);
    // computeMetric takes the same path (and the same numbers) as the state path asked directly.
    expectSame(reference, await computeMetric(ws.db, ws.id, "first-use", query));
    return fast as FirstUseResponse;
  }

  const QUERIES: [string, Record<string, string>][] = [
    ["12 months", year],
    ["12 months, region=DE", { ...year, region: "DE" }],
    ["12 months, channel=web", { ...year, channel: "web" }],
    ["12 months, region=DE and channel=web", { ...year, region: "DE", channel: "web" }],
    ["12 months, region=US-CA and channel=app", { ...year, region: "US-CA", channel: "app" }],
    [
      "instants inside days, at before to",
      { from: "2026-02-10T13:17:05Z", to: "2026-06-20T08:00:00Z", at: "2026-05-02T09:30:00Z" },
    ],
    [
      "instants inside days under region=FR",
      { from: "2026-02-10T13:17:05Z", to: "2026-06-20T08:00:00Z", region: "FR" },
    ],
    [
      "at after to, channel=store",
      { from: "2026-03-01", to: "2026-06-01", at: "2026-10-15T12:00:00Z", channel: "store" },
    ],
    ["a purpose", { ...year, purpose: "personalised-offers" }],
    ["a purpose, region=GB", { ...year, purpose: "order-updates", region: "GB" }],
    ["90 days, weekly", { from: "2026-08-03", to: "2026-11-01", granularity: "week" }],
  ];

  test.each(QUERIES)(
    "first use from the rollups equals the raw events' for %s",
    async (_, query) => {
      const fast = await bothFirstUse(query);
      // Real values: collections, uses and contexts in the answer (not an empty agreement).
      if (!query.region && !query.channel) {
        expect(fast.fields.some((f) => f.collected > 0 && f.median_days_to_first_use !== null)).toBe(true);
        expect(fast.fields.some((f) => Object.keys(f.by_context).length > 1)).toBe(true);
      }
    },
    120_000,
  );

  test("filtered first use adds up: each customer's region at `to` is one of them or none", async () => {
    const all = await bothFirstUse(year);
    let summed = 0;
    for (const region of ["DE", "FR", "GB", "US-CA", "US-NY"]) {
      const part = await bothFirstUse({ ...year, region });
      summed += part.fields.find((f) => f.field === "email")!.collected;
    }
    const email = all.fields.find((f) => f.field === "email")!.collected;
    expect(summed).toBeGreaterThan(0);
    expect(summed).toBeLessThanOrEqual(email);
  }, 120_000);

  test("movers have several rows and the rows hold what the events say", async () => {
    const [counts] = await rows<{ movers: unknown; rows: unknown }>(
      ws.db,
      sql`SELECT count(*) FILTER (WHERE vf > ${-Number.MAX_SAFE_INTEGER}::bigint) AS movers, count(*) AS rows
          FROM metric_first_use WHERE workspace_id = ${ws.id}`,
    );
    expect(Number(counts?.movers)).toBeGreaterThan(10);
    expect(Number(counts?.rows)).toBeGreaterThan(1000);
  });
});

test("a changed dormancy window is exact at once (the window is applied at read time)", async () => {
  const ws2 = await freshWorkspace(demoWorkspaceConfig);
  await ingest(ws2.db, ws2.id, [...generateSeedEvents({ events: 3000, end: DEFAULT_END })], 3000);
  await catchUpMetricState(ws2.db, ws2.id);
  const query = resolveParams(year);
  const before = await firstUseFromState(ws2.db, await loadScope(ws2.db, ws2.id), query);
  await applyWorkspaceConfig(ws2.db, ws2.id, {
    ...demoWorkspaceConfig,
    fields: demoWorkspaceConfig.fields.map((f) => (f.key === "email" ? { ...f, dormancy_days: 2 } : f)),
  });
  const scope = await loadScope(ws2.db, ws2.id);
  const after = await firstUseFromState(ws2.db, scope, query);
  expectSame(await firstUseFromEvents(ws2.db, scope, query), after);
  const within = (r: FirstUseResponse | null) =>
    r!.fields.find((f) => f.field === "email")!.used_within_window;
  expect(within(after)).toBeLessThan(within(before));
  // Two loads of 3,000 events and a configuration change: over a minute on a busy machine.
}, 300_000);

test("hand-made histories: late uses, bulk uses, `at`, a move after the collection, a rebuild", async () => {
  const w = await freshWorkspace({
    purposes: [
      { key: "news", name: "News", description: "News", value_promise: "News", legal_basis: "consent" },
    ],
    fields: [{ key: "email", name: "E-mail", sensitivity: "low", dormancy_days: 10, purposes: ["news"] }],
  });
  const ev = (id: string, type: string, at: string, extra: Record<string, unknown> = {}) => ({
    id,
    type,
    occurred_at: at,
    field: "email",
    ...(type === "data.used" ? { purpose: "news" } : {}),
    ...extra,
  });
  await ingest(w.db, w.id, [
    // a: collected at sign-up in DE, used by itself 2.5 days later, moves to FR after `to`
    ev("a1", "data.collected", "2026-03-01T00:00:00Z", { subject: "a", context: "signup", region: "DE" }),
    ev("a2", "data.used", "2026-03-03T12:00:00Z", { subject: "a" }),
    ev("a3", "consent.granted", "2026-05-01T00:00:00Z", {
      subject: "a",
      purpose: "news",
      region: "FR",
      field: undefined,
    }),
    // b: collected at checkout in DE, only the bulk use 20 days later reaches it (outside the 10-day window)
    ev("b1", "data.collected", "2026-03-10T00:00:00Z", { subject: "b", context: "checkout", region: "DE" }),
    ev("bulk", "data.used", "2026-03-30T00:00:00Z"),
    // c: collected without context in GB, moves to DE before `to`, never used before `at`
    ev("c1", "data.collected", "2026-03-31T00:00:00Z", { subject: "c", region: "GB" }),
    ev("c2", "consent.granted", "2026-03-31T06:00:00Z", {
      subject: "c",
      purpose: "news",
      region: "DE",
      field: undefined,
    }),
    ev("c3", "data.used", "2026-04-20T00:00:00Z", { subject: "c" }),
  ]);
  await catchUpMetricState(w.db, w.id);
  const q = { from: "2026-03-01", to: "2026-04-01", at: "2026-04-10T00:00:00Z" };
  const email = async (query: Record<string, string>) => {
    const scope = await loadScope(w.db, w.id);
    const params = resolveParams(query);
    const fast = await firstUseFromState(w.db, scope, params);
    expectSame(await firstUseFromEvents(w.db, scope, params), fast);
    return fast!.fields[0]!;
  };
  expect(await email(q)).toEqual({
    field: "email",
    collected: 3,
    used_within_window: 1,
    never_used: 1,
    median_days_to_first_use: (2.5 + 20) / 2,
    by_context: {
      checkout: { collected: 1, used_within_window: 0, never_used: 0 },
      signup: { collected: 1, used_within_window: 1, never_used: 0 },
      unknown: { collected: 1, used_within_window: 0, never_used: 1 },
    },
  });
  // Region at `to`: a and b in DE, c moved to DE at 06:00 on the 31st, so all three; GB none.
  expect((await email({ ...q, region: "DE" })).collected).toBe(3);
  expect((await email({ ...q, region: "GB" })).collected).toBe(0);
  // With `to` just after c's collection but before its move, c is in GB.
  const early = { from: "2026-03-01", to: "2026-03-31T03:00:00Z" };
  expect((await email({ ...early, region: "GB" })).collected).toBe(1);
  expect((await email({ ...early, region: "DE" })).collected).toBe(2);
  // `at` after c's use: it counts, 20 days after the collection.
  expect((await email({ ...q, at: "2026-05-01T00:00:00Z" })).never_used).toBe(0);
  // A late, out-of-order event: a subject-level use of b before the bulk one, and an earlier collection of a.
  await ingest(w.db, w.id, [
    ev("b0", "data.used", "2026-03-11T00:00:00Z", { subject: "b" }),
    ev("a0", "data.collected", "2026-02-27T00:00:00Z", { subject: "a", context: "profile" }),
  ]);
  await catchUpMetricState(w.db, w.id);
  const late = await email(q);
  expect(late).toMatchObject({
    collected: 2,
    used_within_window: 1,
    never_used: 1,
    median_days_to_first_use: 1,
  });
  expect(late.by_context).toEqual({
    checkout: { collected: 1, used_within_window: 1, never_used: 0 },
    unknown: { collected: 1, used_within_window: 0, never_used: 1 },
  });
  const snapshot = () =>
    rows(w.db, sql`SELECT * FROM metric_first_use WHERE workspace_id = ${w.id} ORDER BY subject, field, vf`);
  const kept = await snapshot();
  await rebuildMetricState(w.db, w.id);
  expect(await snapshot()).toEqual(kept);
}, 120_000);

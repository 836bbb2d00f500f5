import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { rows, type Db } from "@/db/client";
import { computeMetric } from "@/lib/metrics";
import { rebuildMetricState } from "@/lib/metrics/state";
import { ingestEvents } from "@/lib/ingest";
import { applyQueuedChunk, catchUpMetricState, claimStatement } from "@/lib/metrics/state/apply";
import { RollupScheduler } from "@/lib/metrics/state/scheduler";
import { DEFAULT_END, generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { freshWorkspace } from "../helpers/db";
import { expectSame, ingest, queued, rollupDigests } from "./helpers";

// Ingestion queues subject events for the rollups; the applier takes them off in chunks. These
// tests hold the applier to the rollups a rebuild from all the events gives.

/** The rollups the applier left, after checking that a rebuild from all the events gives the same. */
async function expectRebuildAgrees(ws: { db: Db; id: number }) {
  const applied = await rollupDigests(ws.db, ws.id);
  await rebuildMetricState(ws.db, ws.id);
  expect(await rollupDigests(ws.db, ws.id)).toEqual(applied);
  return applied;
}
const rowCount = (groups: { n: number }[]) => groups.reduce((sum, g) => sum + g.n, 0);

const seed = (events: number) => [...generateSeedEvents({ events, end: DEFAULT_END })];
/** The seed repeats some ids (late duplicates): each is stored once. */
const storedWithSubject = (events: ReturnType<typeof seed>) =>
  new Set(events.filter((e) => e.subject).map((e) => e.id)).size;

test("a batch queues its subject events; a metric read applies them first and gives the raw events' numbers", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = seed(2000);
  await ingest(ws.db, ws.id, events);
  expect(await queued(ws.db, ws.id)).toBe(storedWithSubject(events));
  const query = { from: "2025-11-01", to: "2026-11-01", granularity: "month" };
  const fast = await computeMetric(ws.db, ws.id, "opt-in", query);
  expect(await queued(ws.db, ws.id)).toBe(0);
  expectSame(await computeMetric(ws.db, ws.id, "opt-in", query, { path: "reference" }), fast);
});

test(
  "applied in small chunks that split subjects, late events included, the rollups equal a rebuild's",
  { timeout: 300_000 },
  async () => {
    const ws = await freshWorkspace(demoWorkspaceConfig);
    const events = seed(3000);
    // Later history first, then the earlier: most subjects get events before the ones applied.
    await ingest(ws.db, ws.id, events.slice(1500));
    let chunks = 0;
    while ((await applyQueuedChunk(ws.db, ws.id, 97)) > 0) chunks++;
    expect(chunks).toBeGreaterThan(10);
    await ingest(ws.db, ws.id, events.slice(0, 1500));
    // A chunk smaller than most subjects' histories leaves their other events queued while it runs.
    while ((await applyQueuedChunk(ws.db, ws.id, 7)) > 0) chunks++;
    expect(await queued(ws.db, ws.id)).toBe(0);
    expect(rowCount((await expectRebuildAgrees(ws)).tally)).toBeGreaterThan(500);
  },
);

test("several claims in one transaction, each splitting subjects, add up to a rebuild's rollups", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = seed(3000);
  await ingest(ws.db, ws.id, events.slice(1500));
  await applyQueuedChunk(ws.db, ws.id, 600, 11);
  await ingest(ws.db, ws.id, events.slice(0, 1500));
  // 11-event claims: a later claim sees the earlier claims' events of the same subject as applied.
  let transactions = 1;
  while ((await applyQueuedChunk(ws.db, ws.id, 700, 11)) > 0) transactions++;
  expect(transactions).toBeGreaterThanOrEqual(5);
  expect(await queued(ws.db, ws.id)).toBe(0);
  await expectRebuildAgrees(ws);
});

test("after a batch, the background catch-up empties the queue on its own once ingestion is quiet", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = seed(1500);
  const rollups = new RollupScheduler(ws.db);
  for (let i = 0; i < events.length; i += 500) {
    const { accepted } = await ingestEvents(ws.db, ws.id, events.slice(i, i + 500), "api");
    rollups.accepted(ws.id, accepted);
  }
  expect(await queued(ws.db, ws.id)).toBeGreaterThan(0);
  const deadline = Date.now() + 20_000;
  while ((await queued(ws.db, ws.id)) > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  expect(await queued(ws.db, ws.id)).toBe(0);
  await expectRebuildAgrees(ws);
});

test("catching up while batches keep arriving loses and doubles nothing", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = seed(4000);
  const batches: unknown[][] = [];
  for (let i = 0; i < events.length; i += 250) batches.push(events.slice(i, i + 250));
  let ingesting = true;
  const appliers = Array.from({ length: 2 }, async () => {
    let applied = 0;
    while (ingesting) applied += await catchUpMetricState(ws.db, ws.id);
    return applied;
  });
  // Reverse order: each batch brings events earlier than those already applied.
  for (const batch of batches.reverse()) await ingest(ws.db, ws.id, batch, 250);
  ingesting = false;
  const applied =
    (await Promise.all(appliers)).reduce((a, b) => a + b, 0) + (await catchUpMetricState(ws.db, ws.id));
  expect(applied).toBe(storedWithSubject(events));
  await expectRebuildAgrees(ws);
});

test("a rebuild takes the queued events with it and leaves the queue empty", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  await ingest(ws.db, ws.id, seed(1000));
  expect(await queued(ws.db, ws.id)).toBeGreaterThan(0);
  await rebuildMetricState(ws.db, ws.id);
  expect(await queued(ws.db, ws.id)).toBe(0);
  const rebuilt = await rollupDigests(ws.db, ws.id);
  const ws2 = await freshWorkspace(demoWorkspaceConfig);
  await ingest(ws2.db, ws2.id, seed(1000));
  await catchUpMetricState(ws2.db, ws2.id);
  expect(await rollupDigests(ws2.db, ws2.id)).toEqual(rebuilt);
});

test("a claim stays linear when the queue's statistics were taken while another workspace filled it", async () => {
  const other = await freshWorkspace();
  const ws = await freshWorkspace();
  const fill = (workspaceId: number, n: number) =>
    ws.db.execute(sql`INSERT INTO metric_pending (workspace_id, seq, subject)
                      SELECT ${workspaceId}::bigint, nextval('event_seq'), 'nobody-' || g FROM generate_series(1, ${n}) AS g`);
  await fill(other.id, 20_000);
  await ws.db.execute(sql`ANALYZE metric_pending`);
  await fill(ws.id, 20_000);
  // The statistics say this workspace has (about) no queued rows: 20,000 are there.
  const [plan] = await rows<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    ws.db,
    sql`EXPLAIN (FORMAT JSON) SELECT seq FROM metric_pending WHERE workspace_id = ${ws.id}`,
  );
  expect(plan?.["QUERY PLAN"][0].Plan["Plan Rows"]).toBeLessThan(100);
  // An IN (…) claim was planned as a nested loop rescanning the queue per row here: 20,000 × 20,000
  // rows, minutes. Linear, it takes well under a second.
  const started = performance.now();
  await rows(ws.db, claimStatement(ws.id, 20_000));
  expect(performance.now() - started).toBeLessThan(20_000);
  expect(await queued(ws.db, ws.id)).toBe(0);
  await ws.db.execute(sql`DELETE FROM metric_pending WHERE workspace_id = ${other.id}`);
});

import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { rows } from "@/db/client";
import { ingestEvents } from "@/lib/ingest";
import { ingestStream } from "@/lib/ingest/entry";
import { RollupScheduler } from "@/lib/metrics/state/scheduler";
import { generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { freshWorkspace } from "../helpers/db";
import { queued } from "./helpers";

// The embedded database (this file runs on PGlite only) has no autovacuum: the app's scheduler analyzes it.
const analyzed = async (db: Parameters<typeof rows>[0], table: string) =>
  Number(
    (
      await rows<{ n: number | string }>(
        db,
        sql`SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relname = ${table}`,
      )
    )[0]?.n ?? 0,
  );

test("the background applier analyzes the tables once it has applied enough events, and not before", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = [...generateSeedEvents({ events: 1200 })];
  const rollups = new RollupScheduler(ws.db, 150, 1000);
  const before = { events: await analyzed(ws.db, "events"), tally: await analyzed(ws.db, "metric_tally") };

  const first = await ingestEvents(ws.db, ws.id, events.slice(0, 600), "api");
  rollups.accepted(ws.id, first.accepted);
  await rollups.idle();
  expect(await queued(ws.db, ws.id)).toBe(0);
  // 600 applied: fewer than 1,000, no ANALYZE yet.
  expect(await analyzed(ws.db, "events")).toBe(before.events);

  const second = await ingestEvents(ws.db, ws.id, events.slice(600), "api");
  rollups.accepted(ws.id, second.accepted);
  await rollups.idle();
  expect(first.accepted + second.accepted).toBeGreaterThanOrEqual(1000);
  expect(await analyzed(ws.db, "events")).toBe(before.events + 1);
  expect(await analyzed(ws.db, "metric_tally")).toBe(before.tally + 1);
  await rollups.stop();
});

test("a stream counted now (tl import) analyzes the tables when it applied at least analyzeAfter events, and not below", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = [...generateSeedEvents({ events: 1200 })];
  async function* records(from: number, to: number) {
    yield* events.slice(from, to);
  }
  const now = { mode: "now", analyzeAfter: 1000 } as const;
  const before = await analyzed(ws.db, "metric_tally_attr");

  const small = await ingestStream(ws.db, ws.id, records(0, 600), "import", { maxListed: 0 }, now);
  expect(small.accepted).toBeLessThan(1000);
  expect(await queued(ws.db, ws.id)).toBe(0);
  expect(await analyzed(ws.db, "metric_tally_attr")).toBe(before);

  const large = await ingestStream(ws.db, ws.id, records(0, 1200), "import", { maxListed: 0 }, now);
  // The first 600 are duplicates now: what counts is the events applied, 600 again, still below.
  expect(large.accepted).toBeLessThan(1000);
  expect(await analyzed(ws.db, "metric_tally_attr")).toBe(before);

  const other = await freshWorkspace(demoWorkspaceConfig);
  const all = await ingestStream(other.db, other.id, records(0, 1200), "import", { maxListed: 0 }, now);
  expect(all.accepted).toBeGreaterThanOrEqual(1000);
  expect(await analyzed(ws.db, "metric_tally_attr")).toBe(before + 1);
  expect(await analyzed(ws.db, "events")).toBeGreaterThan(0);
});

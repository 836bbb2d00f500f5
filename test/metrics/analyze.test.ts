import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { rows } from "@/db/client";
import { ingestEvents } from "@/lib/ingest";
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

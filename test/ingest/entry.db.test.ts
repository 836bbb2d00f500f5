import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { rows, type Db } from "@/db/client";
import { badRequest } from "@/lib/errors";
import { inBackground, ingestBatch, ingestSignalBatch, ingestStream, NOW } from "@/lib/ingest/entry";
import { RollupScheduler } from "@/lib/metrics/state/scheduler";
import { DEFAULT_END, generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { freshWorkspace } from "../helpers/db";
import { queued } from "../metrics/helpers";

// Every way into the event store goes through lib/ingest/entry.ts, which has the rollups count what it stored.

async function drained(db: Db, workspaceId: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  while ((await queued(db, workspaceId)) > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  return queued(db, workspaceId);
}

const seed = (n: number) => [...generateSeedEvents({ events: n, end: DEFAULT_END })];
/** The seed repeats some ids (late duplicates): each is stored once. */
const distinct = (events: ReturnType<typeof seed>) => new Set(events.map((e) => e.id)).size;

async function* records(events: unknown[], failAfter?: number): AsyncGenerator<unknown> {
  for (const [i, e] of events.entries()) {
    if (i === failAfter) throw badRequest("line 7: not valid JSON");
    yield e;
  }
}

test("a batch taken in the background is counted by the rollups once ingestion is quiet", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = seed(800);
  const summary = await ingestBatch(ws.db, ws.id, events, "api", inBackground(new RollupScheduler(ws.db)));
  expect(summary.accepted).toBe(distinct(events));
  expect(await drained(ws.db, ws.id)).toBe(0);
});

test("a stream taken now returns with every stored event counted by the rollups", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const applied: number[] = [];
  const events = seed(1200);
  const summary = await ingestStream(
    ws.db,
    ws.id,
    records(events),
    "import",
    { maxListed: 10 },
    {
      mode: "now",
      progress: (n) => applied.push(n),
    },
  );
  expect(summary).toMatchObject({ events: 1200, accepted: distinct(events), rejected_count: 0 });
  expect(await queued(ws.db, ws.id)).toBe(0);
  expect(applied.at(-1)).toBeGreaterThan(0);
});

test("a stream that stops at a bad record still has the records before it counted", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const events = seed(300);
  await expect(
    ingestStream(
      ws.db,
      ws.id,
      records(events, 250),
      "upload",
      { maxListed: 10 },
      inBackground(new RollupScheduler(ws.db)),
    ),
  ).rejects.toThrow(/line 7: not valid JSON \(the 250 records before it were read/);
  expect(await drained(ws.db, ws.id)).toBe(0);
  const [stored] = await rows<{ n: unknown }>(
    ws.db,
    sql`SELECT count(*) AS n FROM events WHERE workspace_id = ${ws.id}`,
  );
  expect(Number(stored?.n)).toBe(distinct(events.slice(0, 250)));
});

test("a signal batch taken now leaves its consent events counted", async () => {
  const ws = await freshWorkspace(demoWorkspaceConfig);
  const granted = {
    type: "consent.granted",
    subject: "cus_81",
    purpose: "ads",
    occurred_at: "2026-02-01T12:00:00Z",
  };
  await ingestBatch(ws.db, ws.id, [{ id: "g-1", ...granted }], "api", NOW);
  // GPC withdraws the ads consent granted before it: one consent event.
  const summary = await ingestSignalBatch(
    ws.db,
    ws.id,
    [{ kind: "gpc", subject: "cus_81", occurred_at: "2026-03-01T12:00:00Z", gpc: true }],
    {},
    NOW,
  );
  expect(summary).toMatchObject({ rejected: [], accepted: 1 });
  expect(await queued(ws.db, ws.id)).toBe(0);
});

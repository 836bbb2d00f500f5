import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate, openPglite, rows, type Database } from "@/db/client";
import { databaseHealth, HEALTH_PROBE_WAIT_MS } from "@/lib/health";

/** A statement that keeps PGlite busy for about a second on this machine. */
const LONG = sql`SELECT count(*) AS n FROM generate_series(1, 3000000)`;

/** Runs `work` while counting event-loop turns every 10 ms: 0 means the thread was held throughout. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  const timer = setInterval(() => turns++, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return turns;
}

const causeOf = (e: unknown) => ((e as { cause?: unknown }).cause ?? e) as { code?: string; message: string };

describe("PGlite on a worker thread (the app server's embedded database)", () => {
  let worker: Database;
  let inline: Database;
  beforeAll(async () => {
    [worker, inline] = await Promise.all([openPglite(undefined, "worker"), openPglite(undefined, "inline")]);
    await Promise.all([migrate(worker), migrate(inline)]);
  });
  afterAll(async () => {
    await Promise.all([worker?.close(), inline?.close()]);
  });

  test("answers every type as the inline database does", async () => {
    const query = sql`SELECT 10::bigint AS big, 1.5::numeric AS num, '2026-01-02T03:04:05Z'::timestamptz AS ts,
      '2026-01-02'::date AS day, '{"a":[1,2]}'::jsonb AS doc, ARRAY['x','y'] AS list, NULL::text AS nothing,
      '3 days'::interval AS span, true AS yes`;
    const [fromWorker] = await rows(worker.db, query);
    const [fromInline] = await rows(inline.db, query);
    expect(fromWorker).toEqual(fromInline);
    expect(fromWorker).toMatchObject({
      big: 10,
      num: "1.5",
      doc: { a: [1, 2] },
      list: ["x", "y"],
      yes: true,
    });
  });

  test("commits, rolls back on a throw and keeps savepoints", async () => {
    await worker.db.execute(sql`CREATE TABLE tx_probe (n int)`);
    await worker.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO tx_probe VALUES (1)`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO tx_probe VALUES (2)`);
          throw new Error("inner fails");
        })
        .catch(() => {});
    });
    await expect(
      worker.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO tx_probe VALUES (3)`);
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(await rows(worker.db, sql`SELECT n FROM tx_probe ORDER BY n`)).toEqual([{ n: 1 }]);
  });

  test("a database error keeps its PostgreSQL code and message", async () => {
    const error = await rows(worker.db, sql`SELECT 1 / 0`).catch(causeOf);
    expect(error).toMatchObject({ code: "22012", message: "division by zero" });
    // The thread goes on answering after an error.
    expect(await rows(worker.db, sql`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
  });

  test("a long statement leaves this thread free; inline it holds it", async () => {
    expect(await turnsDuring(() => rows(worker.db, LONG))).toBeGreaterThan(20);
    expect(await turnsDuring(() => rows(inline.db, LONG))).toBe(0);
  });

  test("health answers while a long statement runs, from the thread's activity", async () => {
    const first = await databaseHealth(worker);
    expect(first.database.latency_ms).toEqual(expect.any(Number));
    expect(first.migrations.current).toBe(true);

    const long = rows(worker.db, LONG);
    await new Promise((r) => setTimeout(r, 50));
    const asked = performance.now();
    const busy = await databaseHealth(worker);
    const took = performance.now() - asked;
    await long;
    expect(took).toBeGreaterThanOrEqual(HEALTH_PROBE_WAIT_MS - 5);
    expect(took).toBeLessThan(HEALTH_PROBE_WAIT_MS + 100);
    expect(busy.database).toMatchObject({ reachable: true, latency_ms: null });
    expect((busy.database as { busy_ms: number }).busy_ms).toBeGreaterThanOrEqual(50);
    expect(busy.migrations).toEqual(first.migrations);
  });

  test("a thread silent past the stall limit is reported, not waited for", async () => {
    await databaseHealth(worker);
    const long = rows(worker.db, LONG);
    await new Promise((r) => setTimeout(r, 250));
    await expect(databaseHealth(worker, 200)).rejects.toThrow(
      /the embedded database has not answered for 0\.\d s/,
    );
    await long;
  });

  test("before any answered check, a busy thread past the stall limit is reported", async () => {
    const fresh = await openPglite(undefined, "worker");
    try {
      await migrate(fresh);
      const long = rows(fresh.db, LONG);
      const asked = performance.now();
      await expect(databaseHealth(fresh, 300)).rejects.toThrow(/has not answered for 0\.\d s/);
      expect(performance.now() - asked).toBeLessThan(800);
      await long;
      // Three checks at once share one statement and its answer.
      const [a, b, c] = await Promise.all([
        databaseHealth(fresh),
        databaseHealth(fresh),
        databaseHealth(fresh),
      ]);
      expect(a.migrations).toEqual(b.migrations);
      expect(c.migrations).toEqual(a.migrations);
    } finally {
      await fresh.close();
    }
  });

  test("a value that cannot reach the database thread fails that query alone", async () => {
    const client = (
      worker.db as unknown as { $client: { query: (sql: string, params: unknown[]) => Promise<unknown> } }
    ).$client;
    await expect(client.query("SELECT $1::text AS v", [() => 1])).rejects.toThrow(/could not be cloned/);
    expect(worker.busyFor!()).toBe(0);
    expect(await rows(worker.db, sql`SELECT 3 AS three`)).toEqual([{ three: 3 }]);
  });

  test("a thread that ends is reported once; every call after it fails with the reason", async () => {
    const lost: Error[] = [];
    const doomed = await openPglite(undefined, "worker", (e) => lost.push(e));
    const client = (doomed.db as unknown as { $client: { worker: { terminate(): Promise<number> } } })
      .$client;
    await client.worker.terminate();
    await new Promise((r) => setTimeout(r, 50));
    expect(lost.map((e) => e.message)).toEqual(["the embedded database's thread ended (exit code 1)"]);
    const cause = await rows(doomed.db, sql`SELECT 1`).then(() => undefined, causeOf);
    expect(cause?.message).toBe("the embedded database's thread ended (exit code 1)");
    await doomed.close();
    expect(lost).toHaveLength(1);
  });

  test("keeps its data in a directory across a close and a reopen", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-worker-"));
    try {
      const first = await openPglite(dir, "worker");
      await first.db.execute(sql`CREATE TABLE kept (v text)`);
      await first.db.execute(sql`INSERT INTO kept VALUES ('still here')`);
      await first.close();
      await expect(rows(first.db, sql`SELECT 1`)).rejects.toThrow();
      const again = await openPglite(dir, "worker");
      expect(await rows(again.db, sql`SELECT v FROM kept`)).toEqual([{ v: "still here" }]);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

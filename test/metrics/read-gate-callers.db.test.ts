import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { GET } from "@/app/api/v1/metrics/[metric]/route";
import { rows, type Database } from "@/db/client";
import { AppError } from "@/lib/errors";
import { createApiKey } from "@/lib/keys";
import { useDatabaseForTests, type AppDatabase } from "@/lib/server/database";
import { API_KEY_READS, apiKeyCaller, ReadGate, sessionCaller } from "@/lib/server/reads";
import { freshWorkspace, testDatabase, type TestWorkspace } from "../helpers/db";

// One caller's burst of reads may not stall everyone else's: a cap per caller (429 over it) and turns
// between callers when a slot frees.

let database: Database;
let app: AppDatabase;
let ws: TestWorkspace;

beforeAll(async () => {
  database = await testDatabase();
  app = useDatabaseForTests(database);
  ws = await freshWorkspace();
});

/** A read that holds its slot until released, and says when it ran. */
function held(gate: ReadGate, caller: ReturnType<typeof apiKeyCaller>, log: string[], name: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const done = gate.run({ budgetMs: 60_000, caller }, async (db) => {
    log.push(name);
    await rows(db, sql`SELECT 1`);
    await released;
    return name;
  });
  return { release, done };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe("reads per caller", () => {
  test("a caller over its cap gets a 429 error with Retry-After while another caller's read still runs", async () => {
    const gate = new ReadGate(database, 3); // 1 slot on PGlite, 1 on a server (the pool less two)
    const log: string[] = [];
    const heavy = apiKeyCaller(101);
    const reads = Array.from({ length: API_KEY_READS }, (_, i) => held(gate, heavy, log, `heavy-${i}`));
    await tick();
    const refused = await gate
      .run({ budgetMs: 5000, caller: heavy }, async () => "ran")
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("rate_limited");
    expect((refused as AppError).details).toEqual({ retryAfter: 5 });
    expect((refused as AppError).message).toMatch(/too many reads at once: .* 4 reads waiting or running/);

    // Another caller is not refused, and takes the next free slot ahead of the heavy caller's queue.
    const light = held(gate, sessionCaller(202), log, "light");
    await tick();
    expect(gate.load).toEqual({ running: 1, waiting: API_KEY_READS });
    reads[0]!.release();
    await reads[0]!.done;
    await tick();
    expect(log).toEqual(["heavy-0", "light"]);
    light.release();
    for (const r of reads) r.release();
    expect(await light.done).toBe("light");
    expect(await Promise.all(reads.map((r) => r.done))).toEqual(["heavy-0", "heavy-1", "heavy-2", "heavy-3"]);
    expect(log).toEqual(["heavy-0", "light", "heavy-1", "heavy-2", "heavy-3"]);

    // Once its reads are answered, the caller may read again.
    await expect(gate.run({ budgetMs: 5000, caller: heavy }, async () => "again")).resolves.toBe("again");
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  test("the metrics API answers 429 with Retry-After to an API key that already has its reads waiting or running", async () => {
    const key = await createApiKey(ws.db, ws.id, ["read"]);
    const other = await createApiKey(ws.db, ws.id, ["read"]);
    const log: string[] = [];
    const reads = Array.from({ length: API_KEY_READS }, (_, i) =>
      held(app.reads, apiKeyCaller(key.id), log, `held-${i}`),
    );
    const get = (bearer: string) =>
      GET(
        new Request("http://localhost/api/v1/metrics/trust-score?from=2026-01-01&to=2026-02-01", {
          headers: { authorization: `Bearer ${bearer}` },
        }),
        { params: Promise.resolve({ metric: "trust-score" }) },
      );
    try {
      await tick();
      const res = await get(key.key);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await res.json()) as { message: string }).message).toMatch(/too many reads at once/);
      const served = get(other.key);
      for (const r of reads) r.release();
      const answer = await served;
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { responses: number }).responses).toBe(0);
    } finally {
      for (const r of reads) r.release();
      await Promise.all(reads.map((r) => r.done));
    }
  });
});

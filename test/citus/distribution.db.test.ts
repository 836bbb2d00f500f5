import { sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { rows, type Database } from "@/db/client";
import {
  COLOCATION_ANCHOR,
  distributeSchema,
  hasCitus,
  plannedPlacements,
  REFERENCE_TABLES,
} from "@/db/distribute";
import { computeMetric, METRIC_NAMES } from "@/lib/metrics";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { freshWorkspace, testDatabase, type TestWorkspace } from "../helpers/db";
import { fixtureEvents, fixtureJson } from "../helpers/fixtures";
import { ingest } from "../metrics/helpers";

// On PGlite and plain PostgreSQL: nothing is distributed. On a Citus coordinator (TL_TEST_DB=citus):
// every table is placed as db/distribute.ts says, and one workspace's metrics run on one shard.
const onCitus = process.env.TL_TEST_DB === "citus";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

test("the extension is detected exactly where the tests run on Citus", async () => {
  expect(await hasCitus(database.db)).toBe(onCitus);
});

test("every per-workspace table is distributed by workspace_id and co-located with events; the lookup tables are reference tables", async () => {
  const planned = await plannedPlacements(database.db);
  const names = planned.map((p) => p.table);
  // Every table of the schema is placed, the anchor first.
  for (const t of [
    "events",
    "subjects",
    "metric_tally",
    "metric_tally_attr",
    "metric_first_use",
    "metric_pending",
    "campaigns",
    "audit_log",
    ...REFERENCE_TABLES,
  ])
    expect(names).toContain(t);
  expect(names[0]).toBe(COLOCATION_ANCHOR);
  for (const t of REFERENCE_TABLES) expect(planned.find((p) => p.table === t)?.kind).toBe("reference");
  expect(planned.find((p) => p.table === "events")?.kind).toBe("distributed");

  const placed = onCitus
    ? await rows<{ table: string; method: string; column: string | null; colocation: number }>(
        database.db,
        sql`SELECT logicalrelid::regclass::text AS "table", partmethod AS method,
                   CASE WHEN partmethod = 'h' THEN column_to_column_name(logicalrelid, partkey) END AS "column",
                   colocationid AS colocation
            FROM pg_dist_partition`,
      )
    : [];
  if (!onCitus) {
    // Without Citus nothing changes: the same call is a no-op.
    expect(await distributeSchema(database.db)).toEqual([]);
    return;
  }
  const byTable = new Map(placed.map((p) => [p.table, p]));
  const anchor = byTable.get(COLOCATION_ANCHOR);
  expect(anchor?.method).toBe("h");
  for (const p of planned) {
    const found = byTable.get(p.table);
    expect(found, `${p.table} is placed`).toBeDefined();
    if (p.kind === "reference") expect(found?.method, p.table).toBe("n");
    else {
      expect(found?.method, p.table).toBe("h");
      expect(found?.column, p.table).toBe("workspace_id");
      expect(found?.colocation, p.table).toBe(anchor?.colocation);
    }
  }
  // Idempotent: running it again places nothing.
  expect(await distributeSchema(database.db)).toEqual([]);
});

let ws: TestWorkspace;
const expected = fixtureJson<{ from: string; to: string; at: string }>("basic", "expected.json");

beforeAll(async () => {
  if (onCitus) {
    ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
    await ingest(ws.db, ws.id, fixtureEvents("basic"));
    await catchUpMetricState(ws.db, ws.id);
  }
}, 300_000);

// The tests' connections to Citus refuse any statement that would run on more than one shard
// (test/helpers/db.ts), so every test on Citus checks its statements; this one checks the guard.
test.runIf(onCitus)(
  "every metric of one workspace, unfiltered and filtered, runs on a single shard",
  async () => {
    const db = database.db;
    // The guard works: a statement over every workspace's events is refused.
    await expect(db.execute(sql`SELECT count(*) FROM events`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/multi-task query/) },
    });
    const base = { from: expected.from, to: expected.to, at: expected.at };
    for (const name of METRIC_NAMES) {
      for (const query of [
        { ...base, granularity: "month" },
        { ...base, granularity: "day", from: "2026-03-01", to: "2026-04-01" },
        { ...base, region: "DE" },
        { ...base, channel: "web" },
      ]) {
        await computeMetric(db, ws.id, name, query);
      }
    }
    const plan = await rows<{ "QUERY PLAN": string }>(
      db,
      sql`EXPLAIN SELECT sum(n) FROM metric_tally WHERE workspace_id = ${ws.id}`,
    );
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Task Count: 1\b/);
  },
);

import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { rows, type Db } from "@/db/client";
import { computeMetric } from "@/lib/metrics";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { DEFAULT_END, generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { ingest } from "./helpers";

// README ("Filtered metrics", lib/metrics/README.md): the rollup reads seek on x and never read the
// tables' rows — metric_tally's key holds n, metric_tally_attr's key is the region-first read order
// with n, and a read under a channel alone has its own index. Checked on the statements a metric
// read really sends, planned with sequential and bitmap scans off (on a few thousand rows the
// planner would rather read the table): what is left is which index can answer them, and how.
// Citus plans the statements on its workers, which these settings do not reach: PGlite and
// PostgreSQL only.

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

const scans = (node: PlanNode): PlanNode[] => [
  ...(node["Relation Name"]?.startsWith("metric_tally") ? [node] : []),
  ...(node.Plans ?? []).flatMap(scans),
];

/** The handle with every statement it executes recorded. */
function recording(db: Db, seen: SQL[]): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "execute")
        return (query: SQL) => {
          seen.push(query);
          return (value as (q: SQL) => Promise<unknown>).call(target, query);
        };
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The scans of the rollup tables in the plans of the statements `metric` sends for `query`. */
async function rollupScans(ws: TestWorkspace, metric: string, query: Record<string, string>) {
  const seen: SQL[] = [];
  await computeMetric(recording(ws.db, seen), ws.id, metric, query);
  const reads = seen.filter((q) => /metric_tally/.test(JSON.stringify(q.queryChunks)));
  expect(reads.length).toBeGreaterThan(0);
  return ws.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    await tx.execute(sql`SET LOCAL enable_bitmapscan = off`);
    const found: PlanNode[] = [];
    for (const q of reads) {
      const [plan] = await rows<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(
        tx,
        sql`EXPLAIN (FORMAT JSON) ${q}`,
      );
      const raw = plan?.["QUERY PLAN"];
      const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
      found.push(...scans(parsed[0].Plan));
    }
    return found;
  });
}

// On a few thousand rows either index can win a read under both attributes (or one): each holds n, so
// either way the read is index-only; which one seeks first is the planner's choice by the statistics.
const ATTRIBUTE_INDEXES = ["metric_tally_attr_pk", "metric_tally_attr_channel"];
const ninetyDays = { from: "2026-08-03", to: "2026-11-01", granularity: "day" };

describe.skipIf(process.env.TL_TEST_DB === "citus")("rollup reads are index-only range reads", () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await freshWorkspace(demoWorkspaceConfig);
    await ingest(ws.db, ws.id, [...generateSeedEvents({ events: 3000, end: DEFAULT_END })], 3000);
    await catchUpMetricState(ws.db, ws.id);
    await ws.db.execute(sql`VACUUM ANALYZE metric_tally`);
    await ws.db.execute(sql`VACUUM ANALYZE metric_tally_attr`);
  }, 300_000);

  test("unfiltered, requests' durations (no dims named) and every Trust Index component: index-only on x", async () => {
    const found = await rollupScans(ws, "trust-index", ninetyDays);
    expect(found.length).toBeGreaterThan(4);
    for (const s of found) {
      expect(s["Node Type"]).toBe("Index Only Scan");
      expect(s["Index Name"]).toBe("metric_tally_workspace_id_grain_measure_key_x_y_z_dim_pk");
      expect(s["Index Cond"]).toMatch(/\(x [<>=]|\(y [<>=]/);
    }
  });

  test("under a region, or a region and a channel: index-only, the region in the index condition", async () => {
    for (const filter of [{ region: "DE" }, { region: "DE", channel: "web" }] as Record<string, string>[]) {
      const found = await rollupScans(ws, "reciprocity", { ...ninetyDays, ...filter });
      const attributed = found.filter((s) => s["Relation Name"] === "metric_tally_attr");
      expect(attributed.length).toBeGreaterThan(0);
      for (const s of attributed) {
        expect(s["Node Type"]).toBe("Index Only Scan");
        expect(ATTRIBUTE_INDEXES).toContain(s["Index Name"]);
        expect(s["Index Cond"]).toMatch(/region = 'DE'/);
      }
    }
  });

  test("under a channel alone: index-only, the channel in the index condition", async () => {
    const found = await rollupScans(ws, "opt-in", { ...ninetyDays, channel: "web" });
    const attributed = found.filter((s) => s["Relation Name"] === "metric_tally_attr");
    expect(attributed.length).toBeGreaterThan(0);
    for (const s of attributed) {
      expect(s["Node Type"]).toBe("Index Only Scan");
      expect(ATTRIBUTE_INDEXES).toContain(s["Index Name"]);
      expect(s["Index Cond"]).toMatch(/channel = 'web'/);
    }
  });
});

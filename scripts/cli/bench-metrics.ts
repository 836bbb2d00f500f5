/**
 * `tl bench metrics`: every metric for a 12-month monthly view and a 90-day daily view, warm,
 * from the rollups (the normal path) and from the raw events (the reference), on the seed data; with the screens'
 * churn after withdrawal and data inventory.
 */
import type { ParseArgsConfig } from "node:util";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { workspaces } from "@/db/schema";
import { env } from "@/lib/env";
import { ingestEvents } from "@/lib/ingest";
import { churnAfterWithdrawal } from "@/lib/insights/churn-after-withdrawal";
import { dataInventory } from "@/lib/inventory";
import { suppressionSummary } from "@/lib/suppression/summary";
import { computeMetric, METRIC_NAMES } from "@/lib/metrics";
import { addMonths, DAY_MS, isoInstant } from "@/lib/metrics/buckets";
import { metricDifferences } from "@/lib/metrics/compare";
import type { MetricPath } from "@/lib/metrics/plan";
import { loadScope } from "@/lib/metrics/scope";
import { rebuildMetricState } from "@/lib/metrics/state";
import { APPLY_CHUNK, catchUpMetricState } from "@/lib/metrics/state/apply";
import { DEFAULT_END, generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { applyWorkspaceConfig, createWorkspace, findWorkspace } from "@/lib/workspaces";
import { openCli, UsageError } from "./context";

export const benchMetricsOptions: ParseArgsConfig["options"] = {
  events: { type: "string" },
  runs: { type: "string" },
  "reference-runs": { type: "string" },
  concurrency: { type: "string" },
  filters: { type: "string" },
  metrics: { type: "string" },
};
export const benchMetricsSummary =
  "[--events N] [--runs 20] [--reference-runs 20|0] [--concurrency 4] [--filters none,region=DE,channel=web,region=DE&channel=web] [--metrics opt-in,first-use,inventory,…]: metrics (and the screens' churn after withdrawal, suppression counts and inventory) from the rollups vs the raw events, per filter";

/** The slices the bench times by default: none, one region, one channel, both (demo regions and channels). */
const DEFAULT_FILTERS = ["none", "region=DE", "channel=web", "region=DE&channel=web"];

function filterSets(v: string | boolean | undefined): { label: string; params: Record<string, string> }[] {
  const names = typeof v === "string" ? v.split(",").map((f) => f.trim()) : DEFAULT_FILTERS;
  return names.map((label) => {
    if (label === "none") return { label: "unfiltered", params: {} };
    const params = Object.fromEntries(new URLSearchParams(label));
    const bad = Object.keys(params).filter((k) => k !== "region" && k !== "channel");
    if (!Object.keys(params).length || bad.length)
      throw new UsageError(`--filters: expected none or region=…/channel=… joined by &, got '${label}'`);
    return { label, params };
  });
}

/**
 * The screens' reads besides the metrics that answer from kept state too (the Overview's and Churn's churn after
 * withdrawal, the Suppression screen's counts, the Inventory's uses), timed like a metric. The last two take no
 * region or channel.
 */
type Query = Record<string, string>;
const INSIGHT_READS: Record<
  string,
  { filtered: boolean; read: (db: Db, ws: number, q: Query, path: MetricPath) => Promise<unknown> }
> = {
  "churn-after-withdrawal": {
    filtered: true,
    read: (db, ws, q, path) =>
      churnAfterWithdrawal(
        db,
        ws,
        { from: q.from!, to: q.to!, region: q.region, channel: q.channel },
        { path },
      ),
  },
  "suppression-summary": {
    filtered: false,
    read: (db, ws, q, path) => suppressionSummary(db, ws, new Date(q.at ?? q.to!), { path }),
  },
  inventory: {
    filtered: false,
    read: (db, ws, q, path) => dataInventory(db, ws, { from: q.from!, to: q.to! }, { path }),
  },
};

const reader =
  (name: string) =>
  (db: Db, ws: number, q: Query, path: MetricPath): Promise<unknown> =>
    INSIGHT_READS[name]?.read(db, ws, q, path) ?? computeMetric(db, ws, name, q, { path });

/** What to time: every metric but `overall` (made of five of the others) and the insights above, or the listed ones. */
function metricList(v: string | boolean | undefined): string[] {
  const all = [...METRIC_NAMES.filter((m) => m !== "overall"), ...Object.keys(INSIGHT_READS)];
  if (typeof v !== "string") return all;
  const names = v.split(",").map((m) => m.trim());
  const unknown = names.filter((m) => !all.includes(m) && m !== "overall");
  if (!names.length || unknown.length)
    throw new UsageError(
      `--metrics: unknown metric '${unknown[0] ?? ""}' (expected some of ${all.join(", ")})`,
    );
  return names;
}

const CHUNK = 5000;
const LOADED = "(loaded)";
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function positive(v: string | boolean | undefined, fallback: number, name: string, min = 1): number {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name}: expected a whole number of at least ${min}, got '${String(v)}'`);
  return n;
}

export async function benchMetrics(v: Record<string, string | boolean | undefined>): Promise<void> {
  const onServer = Boolean(env().DATABASE_URL);
  const total = positive(v.events, onServer ? 10_000_000 : 1_000_000, "events");
  const runs = positive(v.runs, 20, "runs");
  // 0: no raw-event reference (at 10M events it takes minutes per metric and view).
  const referenceRuns = positive(v["reference-runs"], runs, "reference-runs", 0);
  const filters = filterSets(v.filters);
  const metrics = metricList(v.metrics);
  const concurrency = onServer ? positive(v.concurrency, 4, "concurrency") : 1;
  const ctx = await openCli();
  try {
    const db = ctx.database.db;
    const workspaceId = await benchWorkspace(db, total, concurrency);
    const end = DEFAULT_END;
    const views: { view: string; query: Query; only?: string[] }[] = [
      {
        view: "12 months, monthly",
        query: {
          from: isoInstant(addMonths(end, -12)),
          to: isoInstant(end),
          granularity: "month",
          at: isoInstant(end),
        },
      },
      {
        view: "90 days, daily",
        query: {
          from: isoInstant(new Date(end.getTime() - 90 * DAY_MS)),
          to: isoInstant(end),
          granularity: "day",
          at: isoInstant(end),
        },
      },
      {
        // Dormant data's default `at` is now, never a day boundary: the rollups at the day's start and the
        // customers whose state changed since (13:30 on the data's last day).
        view: "at an instant inside a day",
        query: { at: isoInstant(new Date(end.getTime() - 10.5 * 3_600_000)) },
        only: ["dormant-data"],
      },
    ];
    const table: string[][] = [
      ["view", "filter", "metric", "rollups median", "rollups p95", "raw median", "raw p95", "raw / rollups"],
    ];
    for (const { view, query: base, only } of views) {
      for (const filter of filters) {
        const query = { ...base, ...filter.params };
        for (const metric of metrics.filter((m) => !only || only.includes(m))) {
          if (INSIGHT_READS[metric]?.filtered === false && filter.label !== "unfiltered") continue;
          const read = reader(metric);
          const fast = await timed(runs, () => read(db, workspaceId, query, "auto"));
          const reference = referenceRuns
            ? await timed(referenceRuns, () => read(db, workspaceId, query, "reference"))
            : null;
          const differences = reference ? metricDifferences(reference.result, fast.result) : [];
          if (differences.length)
            log(
              `${metric} (${view}, ${filter.label}): the rollups differ from the raw events: ${differences.slice(0, 3).join("; ")}`,
            );
          table.push([
            view,
            filter.label,
            metric,
            ms(fast.median),
            ms(fast.p95),
            reference ? ms(reference.median) : "-",
            reference ? ms(reference.p95) : "-",
            reference ? `${(reference.median / fast.median).toFixed(1)}×` : "-",
          ]);
          log(
            `${view}, ${filter.label}, ${metric}: rollups median ${ms(fast.median)} p95 ${ms(fast.p95)}${reference ? `, raw median ${ms(reference.median)}` : ""}`,
          );
        }
      }
    }
    const [count] = await rows<{ n: unknown }>(
      db,
      sql`SELECT count(*) AS n FROM events WHERE workspace_id = ${workspaceId}`,
    );
    process.stdout.write(
      `${ctx.database.kind}, ${Number(count?.n)} events stored (${total} generated), ${runs} warm runs (${referenceRuns} raw)\n${format(table)}\n`,
    );
  } finally {
    await ctx.close();
  }
}

/** The bench workspace for `total` seed events, loaded through ingestion; an interrupted load resumes. */
async function benchWorkspace(db: Db, total: number, concurrency: number): Promise<number> {
  const slug = `bench-metrics-${total}`;
  const ws =
    (await findWorkspace(db, slug)) ??
    (await createWorkspace(db, { slug, name: `Metrics benchmark, ${total} events` }));
  if (ws.name.endsWith(LOADED)) {
    if (!(await loadScope(db, ws.id)).rollupsReady) {
      log("the rollups are from an older version: rebuilding them");
      await rebuildMetricState(db, ws.id, (n) => n % 20_000 === 0 && log(`rebuild: ${n} subjects`));
    }
    return ws.id;
  }
  await applyWorkspaceConfig(db, ws.id, demoWorkspaceConfig);
  const [stored] = await rows<{ n: unknown }>(
    db,
    sql`SELECT count(*) AS n FROM events WHERE workspace_id = ${ws.id}`,
  );
  // Each stored event was generated, so skipping that many generated ones skips only events already sent.
  const skip = Number(stored?.n ?? 0);
  const source = generateSeedEvents({ events: total, end: DEFAULT_END });
  const started = performance.now();
  let sent = 0;
  const next = (): unknown[] => {
    const chunk: unknown[] = [];
    for (let r = source.next(); !r.done; r = source.next()) {
      if (sent++ < skip) continue;
      chunk.push(r.value);
      if (chunk.length === CHUNK) break;
    }
    return chunk;
  };
  const worker = async () => {
    for (let chunk = next(); chunk.length; chunk = next()) {
      await ingestEvents(db, ws.id, chunk, "seed");
      if (sent % (CHUNK * 40) < CHUNK)
        log(
          `${sent} of ${total} events sent (${Math.round((sent - skip) / ((performance.now() - started) / 1000))}/s)`,
        );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  log(
    `events stored in ${Math.round((performance.now() - started) / 1000)} s; applying them to the metric rollups`,
  );
  await catchUpMetricState(
    db,
    ws.id,
    (n) => n % 500_000 < APPLY_CHUNK && log(`rollups: ${n} events applied`),
  );
  await db
    .update(workspaces)
    .set({ name: `${ws.name} ${LOADED}` })
    .where(eq(workspaces.id, ws.id));
  log(`loaded in ${Math.round((performance.now() - started) / 1000)} s`);
  return ws.id;
}

async function timed<T>(
  n: number,
  run: () => Promise<T>,
): Promise<{ result: T; median: number; p95: number }> {
  let result = await run();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const mid = (times[Math.floor((n - 1) / 2)]! + times[Math.ceil((n - 1) / 2)]!) / 2;
  return { result, median: mid, p95: times[Math.ceil(0.95 * n) - 1]! };
}

const ms = (t: number) => (t < 10 ? `${t.toFixed(1)} ms` : `${Math.round(t)} ms`);

function format(table: string[][]): string {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  return table
    .map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "))
    .join("\n");
}

/**
 * `tl bench reads`: three filtered screens load at once on the production server while a health check is
 * sent every 100 ms. Prints each screen's first meaningful API answer (its first metric answered), the time
 * until all its metric calls answered, the 503s of reads over budget, and the health check's latencies.
 * Runs on the configured database (TL_DATA_DIR, .data/ or DATABASE_URL); seeds the demo there first when
 * it has no demo workspace.
 */
import { DEMO_SLUG, loadDemo, workspaceHasEvents } from "@/lib/demo";
import { createApiKey } from "@/lib/keys";
import { requireWorkspace } from "@/lib/workspaces";
import { ensureBuilt, startApp, waitForHealth } from "../lib/app";
import { openCli, printJson, UsageError } from "./context";

/** The metric calls each screen makes for its cards, with the screen's filters. */
const SCREENS: { name: string; filters: Record<string, string>; metrics: string[] }[] = [
  {
    name: "overview region=DE",
    filters: { region: "DE" },
    metrics: ["opt-in", "withdrawals", "reciprocity", "churn", "trust-score", "trust-index"],
  },
  {
    name: "purposes channel=web",
    filters: { channel: "web" },
    metrics: ["opt-in", "withdrawals", "dormant-data"],
  },
  {
    name: "churn region=DE channel=store",
    filters: { region: "DE", channel: "store" },
    metrics: ["churn", "reciprocity"],
  },
];

export const benchReadsSummary =
  "[--events 500000] [--port 3291] [--budget-ms 5000]: three filtered screens at once on the production server, health latency meanwhile";

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const ms = (n: number) => Math.round(n);

export async function benchReads(v: Record<string, string | boolean | undefined>): Promise<void> {
  const events = Number(v.events ?? 500_000);
  const port = Number(v.port ?? 3291);
  const budget = v["budget-ms"] === undefined ? undefined : Number(v["budget-ms"]);
  if (!Number.isInteger(events) || events < 100)
    throw new UsageError("--events takes a whole number of at least 100");
  if (!Number.isInteger(port) || port <= 0) throw new UsageError("--port takes a port number");
  if (budget !== undefined && !(Number.isInteger(budget) && budget > 0))
    throw new UsageError("--budget-ms takes a positive whole number of milliseconds");

  const ctx = await openCli();
  let key: string;
  try {
    if (!(await workspaceHasEvents(ctx.database.db, DEMO_SLUG))) {
      process.stderr.write(`bench reads: seeding the demo with ${events} events…\n`);
      await loadDemo(ctx.database.db, { slug: DEMO_SLUG, events });
    }
    const ws = await requireWorkspace(ctx.database.db, DEMO_SLUG);
    key = (await createApiKey(ctx.database.db, ws.id, ["read"])).key;
  } finally {
    // The embedded database is the app's once it starts: the CLI lets go of it first.
    await ctx.close();
  }

  ensureBuilt((l) => process.stderr.write(`bench reads: ${l}\n`));
  const server = startApp(
    port,
    { TL_LOG_LEVEL: "warn", ...(budget ? { TL_READ_BUDGET_MS: String(budget) } : {}) },
    "pipe",
  );
  const baseUrl = `http://localhost:${port}`;
  try {
    await waitForHealth(baseUrl, 120_000);
    const headers = { authorization: `Bearer ${key}` };
    // Warm: one unfiltered read, so the figures are not the first request's compilation and cache misses.
    await fetch(`${baseUrl}/api/v1/metrics/opt-in`, { headers });

    const health: number[] = [];
    let loading = true;
    const probe = (async () => {
      while (loading) {
        const asked = performance.now();
        await fetch(`${baseUrl}/api/health`).then((r) => r.arrayBuffer());
        health.push(performance.now() - asked);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const started = performance.now();
    const screens = await Promise.all(
      SCREENS.map(async (screen) => {
        let first = Infinity;
        const answers = await Promise.all(
          screen.metrics.map(async (metric) => {
            const res = await fetch(
              `${baseUrl}/api/v1/metrics/${metric}?${new URLSearchParams(screen.filters)}`,
              { headers },
            );
            const body = (await res.json()) as { pending_events?: number; message?: string };
            const at = performance.now() - started;
            if (res.ok) first = Math.min(first, at);
            return { metric, status: res.status, ms: ms(at), ...(res.ok ? {} : { message: body.message }) };
          }),
        );
        return {
          screen: screen.name,
          first_answer_ms: Number.isFinite(first) ? ms(first) : null,
          all_answered_ms: Math.max(...answers.map((a) => a.ms)),
          over_budget: answers.filter((a) => a.status === 503).length,
          calls: answers,
        };
      }),
    );
    loading = false;
    await probe;
    const sorted = [...health].sort((a, b) => a - b);
    printJson({
      database: process.env.DATABASE_URL ? "postgres" : "pglite",
      budget_ms: budget ?? "default (TL_READ_BUDGET_MS or 5000)",
      screens,
      health: {
        checks: sorted.length,
        p50_ms: ms(percentile(sorted, 50)),
        p95_ms: ms(percentile(sorted, 95)),
        max_ms: ms(sorted[sorted.length - 1] ?? NaN),
      },
    });
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
}

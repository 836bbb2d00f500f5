/**
 * `tl bench ingest`: events per second through POST /api/v1/events (1,000-event batches, a few
 * concurrent senders, the real app against PostgreSQL) and, in the same run against the same
 * server, raw COPY of the same rows into the events table; prints both and their ratio, and the
 * time until the app has applied every accepted event to the metric rollups (the sustained rate).
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { env } from "@/lib/env";
import { hasQueued } from "@/lib/metrics/state/apply";
import { createApiKey } from "@/lib/keys";
import { generateSeedEvents } from "@/lib/seed/generate";
import { createWorkspace } from "@/lib/workspaces";
import { ensureBuilt, startApp, waitForHealth } from "../lib/app";
import { openCli, printJson, UsageError } from "./context";

const COPY_COLUMNS = [
  "workspace_id",
  "id",
  "type",
  "subject",
  "occurred_at",
  "purpose",
  "field",
  "source",
  "channel",
  "region",
  "context",
  "value_kind",
  "value_amount",
  "value_currency",
  "score",
  "request",
  "campaign",
];

function copyValue(v: unknown): string {
  if (v === undefined || v === null) return "\\N";
  return String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
}

export async function benchIngest(v: Record<string, string | boolean | undefined>): Promise<void> {
  const url = env().DATABASE_URL;
  if (!url) throw new UsageError("bench ingest compares with COPY on a PostgreSQL server: set DATABASE_URL");
  const total = Number(v.events ?? 200_000);
  const batchSize = Number(v.batch ?? 1000);
  const senders = Number(v.concurrency ?? 4);
  const port = Number(v.port ?? 3290);
  const warmup = Number(v.warmup ?? 20_000);
  if (![total, batchSize, senders].every((n) => Number.isInteger(n) && n > 0))
    throw new UsageError("--events, --batch and --concurrency take positive whole numbers");
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new UsageError("--warmup takes a whole number of events (0: none)");

  const run = randomBytes(3).toString("hex");
  const events = [...generateSeedEvents({ events: total })].map((e, i) => ({ ...e, id: `b${run}-${i}` }));
  const batches = (list: unknown[]) => {
    const out: string[] = [];
    for (let i = 0; i < list.length; i += batchSize)
      out.push(JSON.stringify({ events: list.slice(i, i + batchSize) }));
    return out;
  };
  const bodies = batches(events);
  // The warm-up goes to a workspace of its own, so the timed run stores exactly the same rows as COPY.
  const warmupBodies = batches(events.slice(0, warmup).map((e) => ({ ...e, id: `w${e.id}` })));

  const ctx = await openCli();
  let apiKey: string;
  let warmupKey: string;
  let warmupWorkspace: number;
  let copyWorkspace: number;
  let httpWorkspace: number;
  try {
    const httpWs = await createWorkspace(ctx.database.db, { slug: `bench-http-${run}` });
    httpWorkspace = httpWs.id;
    copyWorkspace = (await createWorkspace(ctx.database.db, { slug: `bench-copy-${run}` })).id;
    apiKey = (await createApiKey(ctx.database.db, httpWs.id, ["ingest"])).key;
    const warmupWs = await createWorkspace(ctx.database.db, { slug: `bench-warmup-${run}` });
    warmupKey = (await createApiKey(ctx.database.db, warmupWs.id, ["ingest"])).key;
    warmupWorkspace = warmupWs.id;
  } finally {
    await ctx.close();
  }

  ensureBuilt((l) => process.stderr.write(`bench: ${l}\n`));
  const server = startApp(port, { TL_LOG_LEVEL: "warn", TL_INGEST_RATE: "1000000" }, "pipe");
  const baseUrl = `http://127.0.0.1:${port}`;
  let httpSeconds = 0;
  let caughtUpSeconds = 0;
  let accepted = 0;
  try {
    await waitForHealth(baseUrl);
    const send = async (
      queue: string[],
      key: string,
      onAccepted: (n: number) => void = () => {},
    ): Promise<number> => {
      let sent = 0;
      let next = 0;
      const sender = async () => {
        while (next < queue.length) {
          const body = queue[next++]!;
          const res = await fetch(`${baseUrl}/api/v1/events`, {
            method: "POST",
            body,
            headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          });
          if (res.status !== 200)
            throw new Error(`POST /api/v1/events answered ${res.status}: ${await res.text()}`);
          const got = ((await res.json()) as { accepted: number }).accepted;
          sent += got;
          onAccepted(got);
        }
      };
      await Promise.all(Array.from({ length: senders }, sender));
      return sent;
    };
    // Untimed: the server's code compiled by the JIT and its database connections open, as in a
    // server that has been running; and its rollups applied, so the timed run starts on an idle machine.
    if (warmupBodies.length) {
      const sent = await send(warmupBodies, warmupKey);
      await untilQueueEmpty(warmupWorkspace, performance.now());
      process.stderr.write(`bench: warm-up, ${sent} events into another workspace (not timed)\n`);
    }
    const started = performance.now();
    const progress = reportProgress(httpWorkspace, started, () => accepted);
    try {
      await send(bodies, apiKey, (n) => (accepted += n));
    } finally {
      await progress.stop();
    }
    httpSeconds = (performance.now() - started) / 1000;
    // The app applies the queued events to the metric rollups in the background: the time until
    // it has all of them gives the sustained rate, events stored and counted in every metric.
    caughtUpSeconds = await untilQueueEmpty(httpWorkspace, started);
  } finally {
    server.kill("SIGTERM");
  }

  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let copySeconds = 0;
  try {
    const started = performance.now();
    const writable = await sql`COPY events (${sql.unsafe(COPY_COLUMNS.join(", "))}) FROM STDIN`.writable();
    const lines = (function* () {
      for (const e of events) {
        const row = [
          copyWorkspace,
          e.id,
          e.type,
          e.subject,
          e.occurred_at,
          e.purpose,
          e.field,
          e.source,
          e.channel,
          e.region,
          e.context,
          e.value?.kind,
          e.value?.amount,
          e.value?.currency,
          e.score,
          e.request,
          e.campaign,
        ];
        yield row.map(copyValue).join("\t") + "\n";
      }
    })();
    await pipeline(Readable.from(lines), writable);
    copySeconds = (performance.now() - started) / 1000;
  } finally {
    await sql.end();
  }
  const httpRate = accepted / httpSeconds;
  const copyRate = events.length / copySeconds;
  printJson({
    events: events.length,
    batch: batchSize,
    concurrency: senders,
    warmup,
    http: { accepted, seconds: Number(httpSeconds.toFixed(2)), events_per_second: Math.round(httpRate) },
    rollups_caught_up: {
      seconds: Number(caughtUpSeconds.toFixed(2)),
      events_per_second: Math.round(accepted / caughtUpSeconds),
    },
    copy: {
      rows: events.length,
      seconds: Number(copySeconds.toFixed(2)),
      rows_per_second: Math.round(copyRate),
    },
    ratio: Number((httpRate / copyRate).toFixed(3)),
    ratio_caught_up: Number((accepted / caughtUpSeconds / copyRate).toFixed(3)),
  });
}

/**
 * Every 5 s on stderr while the senders run: events accepted, the rate over the last 5 s and the
 * events waiting for the rollup applier, so a slow run shows when and why it slowed.
 */
function reportProgress(
  workspaceId: number,
  started: number,
  accepted: () => number,
): { stop(): Promise<void> } {
  let last = { at: started, accepted: 0 };
  let busy: Promise<void> = Promise.resolve();
  const ctx = openCli();
  const timer = setInterval(() => {
    busy = busy.then(async () => {
      const [waiting] = await rows<{ n: unknown }>(
        (await ctx).database.db,
        sql`SELECT count(*) AS n FROM metric_pending WHERE workspace_id = ${workspaceId}`,
      );
      const now = { at: performance.now(), accepted: accepted() };
      const rate = ((now.accepted - last.accepted) * 1000) / (now.at - last.at);
      process.stderr.write(
        `bench: ${((now.at - started) / 1000).toFixed(0)} s, ${now.accepted} accepted, ${Math.round(rate)} ev/s over the last 5 s, ${Number(waiting?.n)} waiting for the rollups\n`,
      );
      last = now;
    });
  }, 5000);
  return {
    stop: async () => {
      clearInterval(timer);
      await busy;
      await (await ctx).close();
    },
  };
}

/** Seconds from `started` until the workspace's queue for the metric rollups is empty. */
async function untilQueueEmpty(workspaceId: number, started: number): Promise<number> {
  const ctx = await openCli();
  try {
    // One index probe per check (`hasQueued`), as the app's own check: a count of the queue every 100 ms took
    // 37 ms of the server's CPU each time at 200,000 queued events, 17.5 s of a run, from the applier it times.
    while (await hasQueued(ctx.database.db, workspaceId)) await new Promise((r) => setTimeout(r, 100));
    return (performance.now() - started) / 1000;
  } finally {
    await ctx.close();
  }
}

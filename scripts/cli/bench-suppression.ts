/**
 * `tl bench suppression`: streams a purpose's suppression list of N subjects (default 1,000,000)
 * as CSV to nowhere, and prints the time, the bytes and the process's peak resident memory against
 * its memory before the read: the list goes through a database cursor a page at a time, so the
 * peak should not grow with N. The subjects' consent events are written straight into the events
 * table (a grant, then a denial or a withdrawal from one of the opt-out channels), not ingested.
 */
import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { parseSuppressionQuery, streamSuppression } from "@/lib/suppression";
import { applyWorkspaceConfig, createWorkspace } from "@/lib/workspaces";
import { openCli, printJson, UsageError } from "./context";

export const benchSuppressionSummary =
  "[--subjects 1000000]: stream a suppression list of N subjects as CSV and measure peak RSS (needs DATABASE_URL)";

const MB = 1024 * 1024;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

export async function benchSuppression(v: Record<string, string | boolean | undefined>): Promise<void> {
  if (!env().DATABASE_URL)
    throw new UsageError(
      "bench suppression needs DATABASE_URL (a PostgreSQL server): the embedded database keeps its data in this process's memory",
    );
  const n = v.subjects === undefined ? 1_000_000 : Number(v.subjects);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--subjects: expected a positive whole number, got '${String(v.subjects)}'`);
  const ctx = await openCli();
  try {
    const db = ctx.database.db;
    const ws = await createWorkspace(db, { slug: `bench-suppression-${Date.now()}` });
    await applyWorkspaceConfig(db, ws.id, { purposes: [{ key: "ads", name: "Advertising" }] });
    const started = performance.now();
    for (let from = 1; from <= n; from += 250_000) {
      const to = Math.min(n, from + 249_999);
      await db.execute(
        sql`INSERT INTO events (workspace_id, id, type, subject, occurred_at, purpose, source)
            SELECT ${ws.id}::bigint, 'g' || g, 'consent.granted', 'sub_' || g, '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 second', 'ads', 'cmp'
            FROM generate_series(${from}::int, ${to}::int) AS g
            UNION ALL
            SELECT ${ws.id}::bigint, 'o' || g, CASE WHEN g % 4 = 0 THEN 'consent.denied' ELSE 'consent.withdrawn' END, 'sub_' || g,
              '2026-03-01T00:00:00Z'::timestamptz + g * interval '1 second', 'ads',
              (ARRAY['gpc', 'do_not_sell', 'dmachoice', 'daa_webchoices', 'unsubscribe', 'preference_center'])[1 + g % 6]
            FROM generate_series(${from}::int, ${to}::int) AS g`,
      );
      log(`${to} subjects written`);
    }
    await db.execute(sql`ANALYZE events`);
    log(
      `${n} subjects (${2 * n} events) in ${((performance.now() - started) / 1000).toFixed(1)} s; streaming the list as CSV…`,
    );

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let heapPeak = 0;
    let externalPeak = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed);
      externalPeak = Math.max(externalPeak, m.external + m.arrayBuffers);
    };
    const sampler = setInterval(sample, 20);
    let bytes = 0;
    let lines = 0;
    const readStarted = performance.now();
    const count = await streamSuppression(
      db,
      ws.id,
      parseSuppressionQuery({ purpose: "ads", format: "csv", at: "2026-12-01" }),
      async (chunk) => {
        bytes += Buffer.byteLength(chunk);
        for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines++;
        sample();
      },
    );
    clearInterval(sampler);
    global.gc?.();
    const retained = process.memoryUsage().heapUsed;
    const seconds = (performance.now() - readStarted) / 1000;
    if (count !== n || lines !== n + 1)
      throw new Error(`the list has ${count} subjects and ${lines} lines, expected ${n} and ${n + 1}`);
    printJson({
      subjects: count,
      csv_mb: Math.round((bytes / MB) * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      subjects_per_second: Math.round(count / seconds),
      rss_before_mb: Math.round(before / MB),
      rss_peak_mb: Math.round(peak / MB),
      rss_growth_mb: Math.round((peak - before) / MB),
      heap_peak_mb: Math.round(heapPeak / MB),
      external_peak_mb: Math.round(externalPeak / MB),
      ...(global.gc ? { heap_after_gc_mb: Math.round(retained / MB) } : {}),
    });
    await db.execute(sql`DELETE FROM events WHERE workspace_id = ${ws.id}`);
  } finally {
    await ctx.close();
  }
}

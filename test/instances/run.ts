/**
 * Several app instances on one database: two `next start` processes against the same PostgreSQL
 * server (TEST_DATABASE_URL) and the same Citus cluster (TEST_CITUS_URL), whichever are set. Both
 * start (and migrate) at once; the basic fixture is sent to both at the same time, in batches sent
 * concurrently, every batch to both (one copy is a duplicate); then each instance must answer every
 * metric exactly as expected.json says, as one instance would. A subject's events stay in file order
 * in one batch: two events of a subject at the same instant are ordered by arrival (SPEC), which
 * concurrent senders would otherwise decide.
 * Prints "instances: N passed, N failed".
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { openPostgres } from "../../db/client";
import { createApiKey } from "../../lib/keys";
import { metricDifferences } from "../../lib/metrics/compare";
import { applyWorkspaceConfig, createWorkspace } from "../../lib/workspaces";
import { ensureBuilt, startApp, waitForHealth } from "../../scripts/lib/app";

const FIXTURE = path.join("test", "fixtures", "basic");
const METRICS = ["opt-in", "withdrawals", "reciprocity", "dormant-data", "churn", "trust-score"] as const;
const BATCHES = 26;
const basePort = Number(process.env.TL_INSTANCES_PORT ?? 3230);

const events = fs
  .readFileSync(path.join(FIXTURE, "events.ndjson"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as unknown);
const config = JSON.parse(fs.readFileSync(path.join(FIXTURE, "workspace.json"), "utf8")) as unknown;
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, "expected.json"), "utf8")) as Record<
  string,
  unknown
> & { from: string; to: string; at: string };

async function post(
  baseUrl: string,
  key: string,
  batch: unknown[],
): Promise<{ accepted: number; duplicates: number }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${baseUrl}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ events: batch }),
    });
    if (res.status === 429 && attempt < 20) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    if (res.status !== 200)
      throw new Error(`POST ${baseUrl}/api/v1/events: ${res.status} ${await res.text()}`);
    return (await res.json()) as { accepted: number; duplicates: number };
  }
}

/** One server: two instances, the fixture through both, every metric from both. Returns the failures. */
async function checkServer(label: string, url: string, ports: [number, number]): Promise<string[]> {
  const failures: string[] = [];
  const instances = ports.map((p) => ({
    baseUrl: `http://localhost:${p}`,
    proc: startApp(p, { DATABASE_URL: url, TL_LOG_LEVEL: "warn" }, "pipe"),
  }));
  const database = await openPostgres(url, 2);
  try {
    // Both migrate at start, at the same moment: neither may fail or see half a schema.
    await Promise.all(instances.map((i) => waitForHealth(i.baseUrl, 120_000)));
    const ws = await createWorkspace(database.db, { slug: `inst-${randomBytes(4).toString("hex")}` });
    await applyWorkspaceConfig(database.db, ws.id, config);
    const ingestKey = (await createApiKey(database.db, ws.id, ["ingest"])).key;
    const readKey = (await createApiKey(database.db, ws.id, ["read"])).key;

    const batches: unknown[][] = Array.from({ length: BATCHES }, () => []);
    const batchOf = new Map<string, number>();
    for (const e of events) {
      const subject = (e as { subject?: string }).subject ?? "";
      if (!batchOf.has(subject)) batchOf.set(subject, batchOf.size % BATCHES);
      batches[batchOf.get(subject)!]!.push(e);
    }
    const unique = new Set(events.map((e) => (e as { id: string }).id)).size;
    // Batch i goes to instance i % 2 and, at the same time, to the other one: every event arrives twice.
    const results = await Promise.all(
      batches.flatMap((b, i) => [
        post(instances[i % 2]!.baseUrl, ingestKey, b),
        post(instances[(i + 1) % 2]!.baseUrl, ingestKey, b),
      ]),
    );
    const accepted = results.reduce((n, r) => n + r.accepted, 0);
    const duplicates = results.reduce((n, r) => n + r.duplicates, 0);
    if (accepted !== unique || duplicates !== 2 * events.length - unique) {
      failures.push(
        `${label}: accepted ${accepted} and ${duplicates} duplicates, want ${unique} and ${2 * events.length - unique}`,
      );
    }

    const query = new URLSearchParams({
      from: expected.from,
      to: expected.to,
      at: expected.at,
      granularity: "month",
      // Read right after ingesting: the answer must count every accepted event.
      consistency: "exact",
    });
    for (const instance of instances) {
      for (const metric of METRICS) {
        const res = await fetch(`${instance.baseUrl}/api/v1/metrics/${metric}?${query}`, {
          headers: { authorization: `Bearer ${readKey}` },
        });
        const diffs = res.ok
          ? metricDifferences(expected[metric], await res.json())
          : [`status ${res.status}`];
        if (diffs.length)
          failures.push(`${label} ${instance.baseUrl} ${metric}: ${diffs.slice(0, 3).join("; ")}`);
      }
    }
  } finally {
    await database.close();
    await Promise.all(
      instances.map(
        (i) =>
          new Promise<void>((resolve) => {
            if (i.proc.exitCode !== null) return resolve();
            i.proc.on("exit", () => resolve());
            i.proc.kill("SIGTERM");
            setTimeout(() => i.proc.kill("SIGKILL"), 20_000).unref();
          }),
      ),
    );
  }
  return failures;
}

async function main(): Promise<number> {
  const servers = [
    ["PostgreSQL", process.env.TEST_DATABASE_URL],
    ["Citus", process.env.TEST_CITUS_URL],
  ].filter((s): s is [string, string] => Boolean(s[1]));
  if (!servers.length) {
    console.log(
      "instances: skipped — neither TEST_DATABASE_URL nor TEST_CITUS_URL is set (the two-instance test needs a database server)",
    );
    return 0;
  }
  ensureBuilt((l) => console.log(`instances: ${l}`), true);
  let passed = 0;
  let failed = 0;
  for (const [i, [label, url]] of servers.entries()) {
    const started = Date.now();
    const failures = await checkServer(label, url, [basePort + 2 * i, basePort + 2 * i + 1]);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    if (failures.length) {
      failed++;
      console.log(`instances: ✗ two instances on ${label} (${took} s)\n  ${failures.join("\n  ")}`);
    } else {
      passed++;
      console.log(
        `instances: ✓ two instances on ${label}, the fixture sent to both at once: every metric exact on both (${took} s)`,
      );
    }
  }
  console.log(`\ninstances: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`instances: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);

import { beforeAll, expect, test } from "vitest";
import { GET } from "@/app/api/v1/metrics/[metric]/route";
import { createApiKey } from "@/lib/keys";
import { computeMetric } from "@/lib/metrics";
import { useDatabaseForTests } from "@/lib/server/database";
import { freshWorkspace, testDatabase, type TestWorkspace } from "../helpers/db";
import { fixtureEvents, fixtureJson } from "../helpers/fixtures";
import { expectSame, ingest } from "./helpers";

const events = fixtureEvents("basic");
const config = fixtureJson("basic", "workspace.json");
const expected = fixtureJson<Record<string, unknown> & { from: string; to: string; at: string }>(
  "basic",
  "expected.json",
);
const query = { from: expected.from, to: expected.to, granularity: "month", at: expected.at };
const METRICS = ["opt-in", "withdrawals", "reciprocity", "dormant-data", "churn", "trust-score"] as const;

async function loadedWorkspace(order: unknown[][]) {
  const ws = await freshWorkspace(config);
  for (const part of order) await ingest(ws.db, ws.id, part);
  return ws;
}

let basic: TestWorkspace;
beforeAll(async () => {
  basic = await loadedWorkspace([events]);
}, 300_000);

test.each(METRICS)(
  "%s of the basic fixture matches expected.json, from the rollups and from the raw events",
  async (metric) => {
    const ws = basic;
    expectSame(expected[metric], await computeMetric(ws.db, ws.id, metric, query));
    expectSame(expected[metric], await computeMetric(ws.db, ws.id, metric, query, { path: "reference" }));
  },
);

test("the HTTP API answers a read key with the same numbers as computeMetric", async () => {
  const ws = basic;
  useDatabaseForTests(await testDatabase());
  const { key } = await createApiKey(ws.db, ws.id, ["read"]);
  for (const metric of METRICS) {
    const url = `http://localhost/api/v1/metrics/${metric}?${new URLSearchParams(query)}`;
    const res = await GET(new Request(url, { headers: { authorization: `Bearer ${key}` } }), {
      params: Promise.resolve({ metric }),
    });
    expect(res.status).toBe(200);
    expectSame(expected[metric], await res.json());
  }
});

test.each([
  ["metric", "retention", {}],
  ["from", "opt-in", { from: "2026-02-30" }],
  ["granularity", "churn", { granularity: "quarter" }],
  ["purpose", "withdrawals", { purpose: "telemarketing" }],
])("the HTTP API answers a bad %s with 400 and a reason naming it", async (name, metric, query) => {
  const ws = basic;
  useDatabaseForTests(await testDatabase());
  const { key } = await createApiKey(ws.db, ws.id, ["read"]);
  const url = `http://localhost/api/v1/metrics/${metric}?${new URLSearchParams(query)}`;
  const res = await GET(new Request(url, { headers: { authorization: `Bearer ${key}` } }), {
    params: Promise.resolve({ metric }),
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { message: string }).message).toMatch(new RegExp(`^${name}: `));
});

/** Near the middle, where no subject has two events at the same instant on both sides: such a tie is decided by arrival. */
function tieSafeMiddle(list: unknown[]): number {
  const tieKey = (e: unknown) =>
    `${(e as { subject?: string }).subject}|${(e as { occurred_at: string }).occurred_at}`;
  for (let i = Math.floor(list.length / 2); i < list.length; i++) {
    const left = new Set(list.slice(0, i).map(tieKey));
    if (!list.slice(i).some((e) => left.has(tieKey(e)))) return i;
  }
  return list.length;
}

test(
  "importing the fixture in two halves, in either order, gives the same numbers",
  { timeout: 300_000 },
  async () => {
    const half = tieSafeMiddle(events);
    for (const order of [
      [events.slice(0, half), events.slice(half)],
      [events.slice(half), events.slice(0, half)],
    ]) {
      const ws = await loadedWorkspace(order);
      for (const metric of METRICS) {
        const fast = await computeMetric(ws.db, ws.id, metric, query);
        expectSame(expected[metric], fast);
        expectSame(await computeMetric(ws.db, ws.id, metric, query, { path: "reference" }), fast);
      }
    }
  },
);

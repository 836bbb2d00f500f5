import { afterAll, beforeAll, expect, test } from "vitest";
import { ROLES } from "@/lib/auth/permissions";
import { WORKSPACE_COOKIE } from "@/lib/auth/request";
import { ingestEvents } from "@/lib/ingest";
import { createApiKey } from "@/lib/keys";
import * as eventsRoute from "@/app/api/v1/events/route";
import * as metricsRoute from "@/app/api/v1/metrics/[metric]/route";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { restoreEnv } from "../helpers/env";
import { addMember, params, request, routesUseTestDatabase, type TestMember } from "../helpers/auth";

let a: TestWorkspace;
let b: TestWorkspace;
let readA: string;
let ingestA: string;
const membersA = {} as Record<(typeof ROLES)[number], TestMember>;

const event = (id: string, purpose: string) => ({
  id,
  type: "consent.granted",
  subject: `cus_${id}`,
  occurred_at: "2026-01-10T10:00:00Z",
  purpose,
});
const optIn = (init: { cookie?: string; headers?: Record<string, string> }) =>
  metricsRoute.GET(
    request("/api/v1/metrics/opt-in?from=2026-01-01&to=2026-02-01&granularity=month&consistency=exact", init),
    params({ metric: "opt-in" }),
  );
const purposesOf = async (res: Response) =>
  ((await res.json()) as { purposes: { purpose: string; granted: number }[] }).purposes
    .filter((p) => p.granted > 0)
    .map((p) => p.purpose);

const savedRate = { rate: process.env.TL_INGEST_RATE, burst: process.env.TL_INGEST_BURST };
afterAll(() => {
  restoreEnv("TL_INGEST_RATE", savedRate.rate);
  restoreEnv("TL_INGEST_BURST", savedRate.burst);
});

beforeAll(async () => {
  process.env.TL_INGEST_RATE = "1";
  process.env.TL_INGEST_BURST = "5";
  await routesUseTestDatabase();
  a = await freshWorkspace();
  b = await freshWorkspace();
  for (const role of ROLES) membersA[role] = await addMember(a, role);
  readA = (await createApiKey(a.db, a.id, ["read"])).key;
  ingestA = (await createApiKey(a.db, a.id, ["ingest"])).key;
  await ingestEvents(a.db, a.id, [event("a1", "order-updates")], "api");
  await ingestEvents(b.db, b.id, [event("b1", "b-only-purpose")], "api");
});

test.each(ROLES)(
  "a signed-in %s reads metrics of their workspace through the metrics route",
  async (role) => {
    const res = await optIn({ cookie: membersA[role].cookie });
    expect(res.status).toBe(200);
    expect(await purposesOf(res)).toEqual(["order-updates"]);
  },
);

// The requests screen needs requests:read, but the data-requests metric is a metric like the others (SPEC 7): the
// Overview's "late requests" finding and the Trust Index's accountability read it for executives and marketers.
test("every signed-in role reads the data-requests metric that the Overview's findings show", async () => {
  await ingestEvents(
    a.db,
    a.id,
    [
      {
        id: "dsar1",
        type: "dsar.requested",
        subject: "cus_dsar1",
        occurred_at: "2026-01-12T10:00:00Z",
        request: "access",
      },
    ],
    "api",
  );
  for (const role of ROLES) {
    const res = await metricsRoute.GET(
      request("/api/v1/metrics/dsar?from=2026-01-01&to=2026-02-01&consistency=exact", {
        cookie: membersA[role].cookie,
      }),
      params({ metric: "dsar" }),
    );
    expect([role, res.status]).toEqual([role, 200]);
    expect(((await res.json()) as { requests: { total: { opened: number } } }).requests.total.opened).toBe(1);
  }
});

test("a read key of A and a member of A pointing tl_ws at B both see A's metrics only", async () => {
  expect(await purposesOf(await optIn({ headers: { authorization: `Bearer ${readA}` } }))).toEqual([
    "order-updates",
  ]);
  expect(
    await purposesOf(await optIn({ cookie: `${membersA.executive.cookie}; ${WORKSPACE_COOKIE}=${b.slug}` })),
  ).toEqual(["order-updates"]);
});

test("metrics without a session or key are 401; an ingest-only key is 403", async () => {
  expect((await optIn({})).status).toBe(401);
  expect((await optIn({ headers: { authorization: `Bearer ${ingestA}` } })).status).toBe(403);
});

test("a session cookie does not authorize ingestion: the events API takes ingest keys only", async () => {
  const body = { events: [event("a2", "order-updates")] };
  const withSession = await eventsRoute.POST(
    request("/api/v1/events", { method: "POST", cookie: membersA.admin.cookie, body }),
    {},
  );
  expect(withSession.status).toBe(401);
  const withReadKey = await eventsRoute.POST(
    request("/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${readA}` }, body }),
    {},
  );
  expect(withReadKey.status).toBe(403);
});

test("an ingest key sending faster than its bucket refills gets 429 with Retry-After", async () => {
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < 8; i++) {
    const res = await eventsRoute.POST(
      request("/api/v1/events", {
        method: "POST",
        headers: { authorization: `Bearer ${ingestA}` },
        body: { events: [event(`r${i}`, "order-updates")] },
      }),
      {},
    );
    statuses.push(res.status);
    if (res.status === 429) retryAfter = res.headers.get("retry-after");
  }
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(statuses).toContain(429);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
});

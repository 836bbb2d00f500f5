import { sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { GET } from "@/app/api/v1/suppression/route";
import { rows } from "@/db/client";
import { createApiKey } from "@/lib/keys";
import { parseSuppressionQuery, readSuppression } from "@/lib/suppression";
import { addMember, request, routesUseTestDatabase } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { ingest } from "../metrics/helpers";

const ev = (id: string, type: string, subject: string, occurred_at: string, source?: string) => ({
  id,
  type,
  subject,
  occurred_at,
  purpose: "ads",
  source,
});
const CONFIG = {
  purposes: [
    { key: "ads", name: "Advertising" },
    { key: "analytics", name: "Analytics" },
  ],
};

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await freshWorkspace(CONFIG);
  await ingest(ws.db, ws.id, [
    ev("a1", "consent.granted", "s1", "2026-03-01T10:00:00Z", "cmp"),
    ev("a2", "consent.denied", "s2", "2026-03-02T10:00:00Z", "cmp"),
    ev("a3", "consent.granted", "s3", "2026-03-01T10:00:00Z", "cmp"),
    ev("a4", "consent.withdrawn", "s3", "2026-03-05T10:00:00Z", "gpc"),
    ev("a5", "consent.withdrawn", "s10", "2026-03-06T10:00:00Z"),
  ]);
}, 120_000);

const q = (raw: Record<string, string>) => parseSuppressionQuery({ purpose: "ads", ...raw });

test("a list holds the denied and withdrawn subjects in byte order, with since and source of the event that set the state", async () => {
  const list = await readSuppression(ws.db, ws.id, q({ at: "2026-04-01" }));
  expect(list.count).toBe(3);
  expect(list.subjects).toEqual([
    { subject: "s10", state: "withdrawn", since: "2026-03-06T10:00:00Z", source: null },
    { subject: "s2", state: "denied", since: "2026-03-02T10:00:00Z", source: "cmp" },
    { subject: "s3", state: "withdrawn", since: "2026-03-05T10:00:00Z", source: "gpc" },
  ]);
  expect(
    (await readSuppression(ws.db, ws.id, q({ at: "2026-03-04" }))).subjects.map((s) => s.subject),
  ).toEqual(["s2"]);
});

test("changed_since answers only the entries that late-arriving events changed, and then nothing", async () => {
  const first = await readSuppression(ws.db, ws.id, q({}));
  await ingest(ws.db, ws.id, [
    // s1 withdraws (arriving late, dated before the first read): into the list.
    ev("b1", "consent.withdrawn", "s1", "2026-03-03T10:00:00Z", "unsubscribe"),
    // s2 grants again: out of the list, answered as granted.
    ev("b2", "consent.granted", "s2", "2026-03-09T10:00:00Z", "preference_center"),
    // s3 gets an older grant that arrives late: its latest state is still the withdrawal, no change.
    ev("b3", "consent.granted", "s3", "2026-02-01T10:00:00Z", "cmp"),
    // another purpose does not touch this list
    { ...ev("b4", "consent.denied", "s9", "2026-03-03T10:00:00Z"), purpose: "analytics" },
  ]);
  const sync = await readSuppression(ws.db, ws.id, q({ changed_since: first.next_cursor }));
  expect(sync.subjects).toEqual([
    { subject: "s1", state: "withdrawn", since: "2026-03-03T10:00:00Z", source: "unsubscribe" },
    { subject: "s2", state: "granted", since: "2026-03-09T10:00:00Z", source: "preference_center" },
  ]);
  expect(sync.next_cursor).not.toBe(first.next_cursor);
  const again = await readSuppression(ws.db, ws.id, q({ changed_since: sync.next_cursor }));
  expect(again.subjects).toEqual([]);
  // The first list with the changes applied is the list now.
  const synced = new Map(first.subjects.map((s) => [s.subject, s]));
  for (const s of sync.subjects) {
    if (s.state === "granted") synced.delete(s.subject);
    else synced.set(s.subject, s);
  }
  expect([...synced.values()].sort((a, b) => (a.subject < b.subject ? -1 : 1))).toEqual(
    (await readSuppression(ws.db, ws.id, q({}))).subjects,
  );
});

test("a bad query is a 400 naming the parameter", async () => {
  expect(() => q({ changed_since: "yesterday" })).toThrow(/^changed_since: expected a cursor/);
  await expect(
    readSuppression(ws.db, ws.id, parseSuppressionQuery({ purpose: "telemarketing" })),
  ).rejects.toThrow(/^purpose: unknown purpose 'telemarketing'/);
  expect(() => parseSuppressionQuery({ purpose: "ads", format: "xml" })).toThrow(
    /^format: expected json, csv, ndjson/,
  );
  expect(() => parseSuppressionQuery({})).toThrow(/^purpose: required/);
  const cursor = (await readSuppression(ws.db, ws.id, q({ at: "2026-04-01" }))).next_cursor;
  await expect(readSuppression(ws.db, ws.id, q({ at: "2026-03-01", changed_since: cursor }))).rejects.toThrow(
    /^at: a sync reads at or after/,
  );
});

async function get(path: string, init: { cookie?: string; key?: string }) {
  return GET(
    request(path, { cookie: init.cookie, headers: init.key ? { authorization: `Bearer ${init.key}` } : {} }),
    undefined as never,
  );
}

test("the endpoint streams CSV and NDJSON to a key with the suppression scope; a read key gets 403", async () => {
  await routesUseTestDatabase();
  const { key } = await createApiKey(ws.db, ws.id, ["suppression"]);
  const csv = await get("/api/v1/suppression?purpose=ads&at=2026-04-01&format=csv", { key });
  expect(csv.status).toBe(200);
  expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
  expect(csv.headers.get("x-next-cursor")).toMatch(/^v1\.\d+\.\d+$/);
  expect(await csv.text()).toBe(
    "subject,state,since,source\ns1,withdrawn,2026-03-03T10:00:00Z,unsubscribe\ns10,withdrawn,2026-03-06T10:00:00Z,\ns3,withdrawn,2026-03-05T10:00:00Z,gpc\n",
  );
  const nd = await get("/api/v1/suppression?purpose=ads&at=2026-04-01&format=ndjson", { key });
  expect(
    (await nd.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).subject),
  ).toEqual(["s1", "s10", "s3"]);
  const read = await createApiKey(ws.db, ws.id, ["read"]);
  expect((await get("/api/v1/suppression?purpose=ads", { key: read.key })).status).toBe(403);
  const bad = await get("/api/v1/suppression?purpose=ads&format=xml", { key });
  expect(bad.status).toBe(400);
});

test("admins, privacy and marketers read lists of subjects, executives do not; every read is in the audit log", async () => {
  await routesUseTestDatabase();
  const count = async () =>
    Number(
      (
        await rows<{ n: unknown }>(
          ws.db,
          sql`SELECT count(*) AS n FROM audit_log WHERE workspace_id = ${ws.id} AND action = 'suppression.read'`,
        )
      )[0]?.n,
    );
  const before = await count();
  for (const role of ["admin", "privacy", "marketer"] as const) {
    const { cookie } = await addMember(ws, role);
    const res = await get("/api/v1/suppression?purpose=ads&at=2026-04-01", { cookie });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { count: number }).count).toBe(3);
  }
  const executive = await addMember(ws, "executive");
  expect((await get("/api/v1/suppression?purpose=ads", { cookie: executive.cookie })).status).toBe(403);
  expect(await count()).toBe(before + 3);
  const [last] = await rows<{ actor: string; target: string; details: { at: string; format: string } }>(
    ws.db,
    sql`SELECT actor, target, details FROM audit_log WHERE workspace_id = ${ws.id} AND action = 'suppression.read' ORDER BY id DESC LIMIT 1`,
  );
  expect([last?.actor.startsWith("marketer-"), last?.target, last?.details.at, last?.details.format]).toEqual(
    [true, "ads", "2026-04-01T00:00:00Z", "json"],
  );
});

test("a purpose longer than 64 characters is a 400 that says so, not that the purpose is missing", async () => {
  await routesUseTestDatabase();
  const long = "p".repeat(70);
  expect(() => parseSuppressionQuery({ purpose: long })).toThrow(/^purpose: expected at most 64 characters$/);
  const { key } = await createApiKey(ws.db, ws.id, ["suppression"]);
  const res = await get(`/api/v1/suppression?purpose=${long}`, { key });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { message: string }).message).toBe("purpose: expected at most 64 characters");
  expect(() => parseSuppressionQuery({ purpose: "" })).toThrow(/^purpose: required/);
});

test("the CSV download is an attachment named after the purpose and the date of the list; JSON and NDJSON are not", async () => {
  await routesUseTestDatabase();
  const { key } = await createApiKey(ws.db, ws.id, ["suppression"]);
  const csv = await get("/api/v1/suppression?purpose=ads&at=2026-04-01T12:00:00Z&format=csv", { key });
  expect(csv.status).toBe(200);
  expect(csv.headers.get("content-disposition")).toBe(
    'attachment; filename="suppression-ads-2026-04-01.csv"',
  );
  await csv.text();
  for (const format of ["json", "ndjson"]) {
    const res = await get(`/api/v1/suppression?purpose=ads&at=2026-04-01&format=${format}`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBeNull();
    await res.text();
  }
});

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { POST } from "@/app/api/v1/events/route";
import { rows } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/lib/keys";
import { useDatabaseForTests } from "@/lib/server/database";
import { freshWorkspace, testDatabase, type TestWorkspace } from "../helpers/db";

let ws: TestWorkspace;
let ingestKey: string;
let readKey: string;

beforeAll(async () => {
  useDatabaseForTests(await testDatabase());
  ws = await freshWorkspace();
  ingestKey = (await createApiKey(ws.db, ws.id, ["ingest"])).key;
  readKey = (await createApiKey(ws.db, ws.id, ["read"])).key;
});

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "consent.granted",
  subject: "cus_1",
  occurred_at: "2026-03-01T10:00:00Z",
  purpose: "ads",
  ...extra,
});

function post(
  body: string,
  headers: Record<string, string> = {},
  key: string | null = ingestKey,
): Promise<Response> {
  const h: Record<string, string> = { "content-type": "application/json", ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  return POST(new Request("http://localhost/api/v1/events", { method: "POST", body, headers: h }), undefined);
}

async function storedCount(id?: number): Promise<number> {
  const [r] = await rows<{ n: string | number }>(
    ws.db,
    sql`SELECT count(*) AS n FROM events WHERE workspace_id = ${id ?? ws.id}`,
  );
  return Number(r?.n);
}

describe("POST /api/v1/events", () => {
  test("a valid JSON batch is stored and summarised", async () => {
    const res = await post(
      JSON.stringify({ events: [event("j-1"), event("j-2", { type: "consent.denied" })] }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });

  test("valid events of a batch are stored even when others are rejected", async () => {
    const before = await storedCount();
    const res = await post(
      JSON.stringify({
        events: [
          event("p-1"),
          event("p-2", { subject: "anna@example.com" }),
          event("p-3", { purpose: undefined }),
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        {
          index: 1,
          id: "p-2",
          errors: ["subject: looks like an e-mail address; send a pseudonymous id instead"],
        },
        { index: 2, id: "p-3", errors: ["purpose: required for consent.granted"] },
      ],
    });
    expect(await storedCount()).toBe(before + 1);
  });

  test("a replayed batch is absorbed as duplicates and stores nothing new", async () => {
    const body = JSON.stringify({ events: [event("r-1"), event("r-2")] });
    await post(body);
    const before = await storedCount();
    const res = await post(body);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    expect(await storedCount()).toBe(before);
  });

  test("NDJSON bodies are accepted with their content type", async () => {
    const body = [event("n-1"), event("n-2")].map((e) => JSON.stringify(e)).join("\n") + "\n";
    const res = await post(body, { "content-type": "application/x-ndjson" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });

  test.each([
    ["a body that is not JSON", "{not json", "application/json", 400, "body is not valid JSON"],
    [
      "a JSON body without events",
      JSON.stringify({ items: [] }),
      "application/json",
      400,
      "body: expected a JSON object",
    ],
    [
      "an NDJSON line that is not JSON",
      `${JSON.stringify(event("x"))}\n{oops`,
      "application/x-ndjson",
      400,
      "line 2: not valid JSON",
    ],
    ["another content type", "id,type", "text/csv", 415, "Content-Type 'text/csv' is not supported"],
  ])("%s is refused with %s and stores nothing", async (_name, body, type, status, message) => {
    const before = await storedCount();
    const res = await post(body, { "content-type": type });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    expect(await storedCount()).toBe(before);
  });

  test("more than 5,000 events is 413 and nothing is stored", async () => {
    const before = await storedCount();
    const events = Array.from({ length: 5001 }, (_, i) => event(`big-${i}`));
    const res = await post(JSON.stringify({ events }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toContain(
      "5001 events is over the limit of 5000",
    );
    expect(await storedCount()).toBe(before);
  });

  test("exactly 5,000 events is accepted", async () => {
    const events = Array.from({ length: 5000 }, (_, i) => event(`max-${i}`, { subject: `cus_${i}` }));
    const res = await post(JSON.stringify({ events }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(5000);
  });

  test("a body over 5 MiB is 413 and nothing is stored", async () => {
    const before = await storedCount();
    const padding = "x".repeat(4000);
    const events = Array.from({ length: 1400 }, (_, i) => event(`huge-${i}`, { properties: { padding } }));
    const res = await post(JSON.stringify({ events }));
    expect(res.status).toBe(413);
    expect(await storedCount()).toBe(before);
  });

  test.each([
    ["no Authorization header", null, 401],
    ["an unknown key", "tl_000000000000_nope", 401],
    ["a malformed header value", "", 401],
  ])("%s is 401", async (_name, key, status) => {
    const res = await post(JSON.stringify({ events: [event("a-1")] }), {}, key);
    expect(res.status).toBe(status);
  });

  test("a key without the ingest scope is 403", async () => {
    const res = await post(JSON.stringify({ events: [event("a-2")] }), {}, readKey);
    expect(res.status).toBe(403);
  });

  test("a revoked key is 401", async () => {
    const created = await createApiKey(ws.db, ws.id, ["ingest"]);
    await revokeApiKey(ws.db, ws.id, created.prefix);
    const res = await post(JSON.stringify({ events: [event("a-3")] }), {}, created.key);
    expect(res.status).toBe(401);
  });

  test("a key stores only into its own workspace", async () => {
    const other = await freshWorkspace();
    const otherKey = (await createApiKey(other.db, other.id, ["ingest"])).key;
    const before = await storedCount();
    const res = await post(JSON.stringify({ events: [event("iso-1")] }), {}, otherKey);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await storedCount(other.id)).toBe(1);
    expect(await storedCount()).toBe(before);
  });

  test("unknown purpose and field keys are created undeclared", async () => {
    await post(
      JSON.stringify({
        events: [
          event("u-1", { purpose: "brand-new" }),
          {
            id: "u-2",
            type: "data.collected",
            subject: "cus_1",
            occurred_at: "2026-03-01T10:00:00Z",
            field: "shoe-size",
          },
        ],
      }),
    );
    const purposes = await rows<{ key: string; status: string }>(
      ws.db,
      sql`SELECT key, status FROM purposes WHERE workspace_id = ${ws.id} AND key = 'brand-new'`,
    );
    const fields = await rows<{ key: string; status: string }>(
      ws.db,
      sql`SELECT key, status FROM fields WHERE workspace_id = ${ws.id} AND key = 'shoe-size'`,
    );
    expect(purposes).toEqual([{ key: "brand-new", status: "undeclared" }]);
    expect(fields).toEqual([{ key: "shoe-size", status: "undeclared" }]);
  });
});

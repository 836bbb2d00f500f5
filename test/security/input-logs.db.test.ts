import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { POST as eventsPOST } from "@/app/api/v1/events/route";
import { GET as consentRecordGET } from "@/app/api/v1/subjects/[id]/consent-record/route";
import { resetEnvCache } from "@/lib/env";
import { ingestEvents } from "@/lib/ingest";
import { createApiKey } from "@/lib/keys";
import { routesUseTestDatabase } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { restoreEnv } from "../helpers/env";

let ws: TestWorkspace;
let ingestKey: string;
let readKey: string;

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace();
  ingestKey = (await createApiKey(ws.db, ws.id, ["ingest"])).key;
  readKey = (await createApiKey(ws.db, ws.id, ["read"])).key;
});

// What the server writes to stdout while a test runs, at log level info.
let logged: string[] = [];
const level = process.env.TL_LOG_LEVEL;
beforeEach(() => {
  logged = [];
  process.env.TL_LOG_LEVEL = "info";
  resetEnvCache();
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  restoreEnv("TL_LOG_LEVEL", level);
  resetEnvCache();
});

const lines = () =>
  logged
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("logs carry error codes and route templates, never parameters, bodies or ids", () => {
  test("GET /api/v1/subjects/<id>/consent-record is logged by its route template, without the subject id in its path or query", async () => {
    const subject = `cus_logprobe_${randomBytes(6).toString("hex")}`;
    await ingestEvents(
      ws.db,
      ws.id,
      [
        {
          id: `${subject}-1`,
          type: "consent.granted",
          subject,
          occurred_at: "2026-03-01T10:00:00Z",
          purpose: "ads",
        },
      ],
      "api",
    );
    const res = await consentRecordGET(
      new Request(`http://localhost/api/v1/subjects/${subject}/consent-record?probe=${subject}`, {
        headers: { authorization: `Bearer ${readKey}` },
      }),
      {
        params: Promise.resolve({ id: subject }),
      },
    );
    expect(res.status).toBe(200);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        msg: "request",
        method: "GET",
        route: "/api/v1/subjects/[id]/consent-record",
        status: 200,
      }),
    );
    expect(logged.join("")).not.toContain(subject);
  });

  test("a database error during ingestion logs its class and SQLSTATE, not the batch: no subject ids, no properties", async () => {
    const marker = `logprobe_${randomBytes(6).toString("hex")}`;
    // A real database error on a valid batch: a constraint that refuses just this test's subject.
    await ws.db.execute(
      sql.raw(
        `ALTER TABLE events ADD CONSTRAINT ${marker} CHECK (subject IS DISTINCT FROM '${marker}_refused') NOT VALID`,
      ),
    );
    try {
      const events = Array.from({ length: 200 }, (_, i) => ({
        id: `${marker}-${i}`,
        type: "consent.granted",
        subject: i === 199 ? `${marker}_refused` : `${marker}_cus_${i}`,
        occurred_at: "2026-03-01T10:00:00Z",
        purpose: "ads",
        properties: { note: `${marker}_property_${i}` },
      }));
      const res = await eventsPOST(
        new Request("http://localhost/api/v1/events", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
          body: JSON.stringify({ events }),
        }),
        undefined,
      );
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: "internal", message: "internal error" });
    } finally {
      await ws.db.execute(sql.raw(`ALTER TABLE events DROP CONSTRAINT ${marker}`));
    }
    const error = lines().find((l) => l.msg === "unhandled error");
    expect(error).toMatchObject({ level: "error", code: "23514" });
    expect(String(error?.error)).toMatch(/Error/);
    const all = logged.join("");
    expect(all).not.toContain(marker);
    expect(all).not.toContain("properties");
    expect(Math.max(...all.split("\n").map((l) => l.length))).toBeLessThan(1000);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { POST as eventsPOST } from "@/app/api/v1/events/route";
import { POST as uploadPOST } from "@/app/api/v1/events/upload/route";
import { POST as signalsPOST } from "@/app/api/v1/signals/route";
import { rows } from "@/db/client";
import { MAX_ERRORS_PER_EVENT, validateEvent } from "@/lib/events/contract";
import { looksLikeEmail, looksLikePhone } from "@/lib/events/personal-data";
import { createApiKey } from "@/lib/keys";
import { importFile } from "@/scripts/cli/import";
import { addMember, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";

let ws: TestWorkspace;
let ingestKey: string;
let admin: TestMember;

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace();
  ingestKey = (await createApiKey(ws.db, ws.id, ["ingest"])).key;
  admin = await addMember(ws, "admin");
});

let n = 0;
const event = (extra: Record<string, unknown> = {}) => ({
  id: `in-${++n}`,
  type: "consent.granted",
  subject: `cus_${n}`,
  occurred_at: "2026-03-01T10:00:00Z",
  purpose: "ads",
  ...extra,
});

function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

// JSON.stringify itself overflows the stack on 10,000 levels; a sender writes such a body by hand.
const DEEP = "deep-properties-placeholder";
const deepJson = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"leaf":1}${"}".repeat(depth - 1)}`;
const serialize = (value: unknown) => JSON.stringify(value).replaceAll(`"${DEEP}"`, deepJson(10_000));

const PROPERTIES_DEPTH = "properties: expected at most 8 levels of nesting";
const FACTS = " (properties hold facts, not personal data)";

// Each row: one event that must be rejected alone, with this reason.
const hostile: Array<[string, Record<string, unknown>, string]> = [
  ["NUL in subject", { subject: "cus_\u00001" }, "subject: contains a NUL character (\\u0000)"],
  ["NUL in source", { source: "cmp\u0000" }, "source: contains a NUL character (\\u0000)"],
  [
    "NUL in a properties key",
    { properties: { "k\u0000": 1 } },
    "properties.k\\u0000: the key contains a NUL character (\\u0000)",
  ],
  [
    "NUL in a properties value",
    { properties: { k: "v\u0000" } },
    "properties.k: contains a NUL character (\\u0000)",
  ],
  [
    "a lone surrogate in subject",
    { subject: "cus_\ud800" },
    "subject: contains a lone surrogate (such as \\ud800), which is not a character",
  ],
  [
    "a lone surrogate in a properties value",
    { properties: { k: ["x", "\udc00"] } },
    "properties.k.1: contains a lone surrogate (such as \\ud800), which is not a character",
  ],
  ["properties 10,000 levels deep", { properties: DEEP }, PROPERTIES_DEPTH],
  ["properties 9 levels deep", { properties: nested(9) }, PROPERTIES_DEPTH],
  [
    "65 keys",
    { properties: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) },
    "properties: expected at most 64 keys (counted at every level)",
  ],
  [
    "65 keys over two levels",
    { properties: { a: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, i])) } },
    "properties: expected at most 64 keys (counted at every level)",
  ],
  [
    "4 KB of characters that are 12 KB of UTF-8",
    { properties: { t: "€".repeat(1400) } },
    "properties: expected at most 4096 bytes when serialized (UTF-8), got 4208",
  ],
  [
    "an e-mail address in properties",
    { properties: { email: "bob@example.com" } },
    `properties.email: looks like an e-mail address${FACTS}`,
  ],
  [
    "a phone number deep in properties",
    { properties: { contact: { mobile: "+49 151 1234 5678" } } },
    `properties.contact.mobile: looks like a phone number${FACTS}`,
  ],
  [
    "an e-mail address as a properties key",
    { properties: { "bob@example.com": true } },
    "properties.bob@example.com: the key looks like an e-mail address",
  ],
];

const personalSubjects = [
  ["alice@example.com ", "e-mail address"],
  ["Alice <alice@example.com>", "e-mail address"],
  ["mailto:alice@example.com", "e-mail address"],
  ["alice＠example.com", "e-mail address"],
  ["tel:+4915112345678", "phone number"],
  ["cus+4915112345678", "phone number"],
  ["+49 (151) 123-45678", "phone number"],
  ["123456789012345678", "phone number"],
  ["４９１５１１２３４５６７８", "phone number"],
] as const;

const ordinarySubjects = [
  "cus_12345",
  "cus_12345678",
  "user_123456789012345678",
  "1002345",
  "7f3a9c2e-1b4d-4c8e-9f00-2a6b8d1e5c3f",
  "2026-03-01",
  "a.b-c:d",
  "crm:00042",
];

describe("one hostile event is rejected alone, with a named reason", () => {
  test.each(hostile)("%s", (_name, extra, reason) => {
    expect(validateEvent(JSON.parse(serialize(event(extra))))).toEqual({
      ok: false,
      id: expect.any(String),
      errors: [reason],
    });
  });

  test.each(personalSubjects)("the subject %j looks like an %s and is rejected", (subject, what) => {
    expect(validateEvent(event({ subject }))).toMatchObject({
      ok: false,
      errors: [
        `subject: looks like a${what.startsWith("e") ? "n" : ""} ${what}; send a pseudonymous id instead`,
      ],
    });
  });

  test.each(ordinarySubjects)("the ordinary id %j is accepted", (subject) => {
    expect(looksLikeEmail(subject) || looksLikePhone(subject)).toBe(false);
    expect(validateEvent(event({ subject }))).toMatchObject({ ok: true });
  });

  // "a…a@a…a" kept an unbounded e-mail pattern busy for seconds; "a…a@example.com" is shaped like an address.
  const longAt = `${"a".repeat(100_000)}@${"a".repeat(99_999)}`;
  const longAddress = `${"a".repeat(199_988)}@example.com`;
  const PROPERTIES_SIZE = "properties: expected at most 4096 bytes when serialized (UTF-8), got";
  test.each([
    ["a subject of a…a@a…a", { subject: longAt }, "subject: expected 1-128 characters"],
    [
      "a subject shaped like an e-mail address",
      { subject: longAddress },
      "subject: expected 1-128 characters",
    ],
    ["a properties string of a…a@a…a", { properties: { note: longAt } }, `${PROPERTIES_SIZE} 200011`],
    [
      "a properties string shaped like an e-mail address",
      { properties: { note: longAddress } },
      `${PROPERTIES_SIZE} 200011`,
    ],
    [
      "a properties key shaped like an e-mail address",
      { properties: { [longAddress]: 1 } },
      `${PROPERTIES_SIZE} 200006`,
    ],
  ])(
    "%s, 200,000 characters long, gets the length error and is not read for personal data",
    (_name, extra, reason) => {
      expect(validateEvent(event(extra))).toEqual({ ok: false, id: expect.any(String), errors: [reason] });
    },
  );

  test("facts in properties pass: numbers (a timestamp, even a long one), dates, short codes and prefixed ids", () => {
    const properties = {
      ts: 1767225600000,
      big: 4915112345678,
      day: "2026-03-01",
      plan: "gold",
      ref: "ord_123456789012",
      nested: { tags: ["a", "b"] },
    };
    expect(validateEvent(event({ properties }))).toMatchObject({ ok: true });
  });

  test("an event with 100,000 unknown fields gets a short, capped list of errors", () => {
    const input = {
      ...event(),
      ...Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, i])),
    };
    const result = validateEvent(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => `f${i}: unknown field (see the event schema in SPEC section 3)`),
      "…: 99995 more unknown fields",
    ]);
  });

  test(`an event with many problems lists at most ${MAX_ERRORS_PER_EVENT} of them, the last counting the rest`, () => {
    const properties = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`p${i}`, `x${i}@example.com`]),
    );
    const result = validateEvent(event({ properties }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(MAX_ERRORS_PER_EVENT);
    expect(result.errors.at(-1)).toBe("… and 11 more errors");
  });

  test("a rejected event's id is echoed only when it can be stored: a 1 MB or NUL id is reported as null", () => {
    expect(validateEvent({ ...event(), id: "x".repeat(1_000_000), subject: "a@b.co" })).toMatchObject({
      ok: false,
      id: null,
    });
    expect(validateEvent({ ...event(), id: "e\u00001", subject: "a@b.co" })).toMatchObject({
      ok: false,
      id: null,
    });
  });

  test.each([
    ["probe.alice@example.com", null],
    ["alice＠example.com", null],
    ["tel:4915112345678", null],
    ["004915112345678", null],
    ["has space", null],
    ["ord-42", "ord-42"],
    ["crm:00042", "crm:00042"],
  ])(
    "a rejected event's id %j is kept as %j: only a well-formed id with no personal-data shape",
    (id, kept) => {
      expect(validateEvent({ ...event(), id, subject: "a@b.co" })).toMatchObject({ ok: false, id: kept });
    },
  );
});

async function rejectedRows(
  via: string,
): Promise<Array<{ event_id: string | null; errors: string[]; bytes: number }>> {
  return rows(
    ws.db,
    sql`SELECT event_id, errors, octet_length(errors::text) AS bytes FROM rejected_events WHERE workspace_id = ${ws.id} AND via = ${via} ORDER BY seq`,
  );
}

async function storedIds(ids: string[]): Promise<string[]> {
  const found = await rows<{ id: string }>(
    ws.db,
    sql`SELECT id FROM events WHERE workspace_id = ${ws.id} AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) ORDER BY id`,
  );
  return found.map((r) => r.id);
}

/** A batch of every hostile event and personal-data subject, with a valid event between each. */
function mixedBatch(): { events: Record<string, unknown>[]; valid: string[]; bad: number } {
  const events: Record<string, unknown>[] = [];
  const valid: string[] = [];
  const bads = [...hostile.map(([, extra]) => extra), ...personalSubjects.map(([subject]) => ({ subject }))];
  for (const extra of bads) {
    events.push(event(extra));
    const ok = event({ properties: { plan: "gold", visits: 3, tags: ["a", "b"] } });
    valid.push(ok.id);
    events.push(ok);
  }
  return { events, valid: valid.sort(), bad: bads.length };
}

describe("every way in stores the valid siblings and rejects only the hostile events, never a 500", () => {
  test("POST /api/v1/events", async () => {
    const batch = mixedBatch();
    const res = await eventsPOST(
      new Request("http://localhost/api/v1/events", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
        body: serialize({ events: batch.events }),
      }),
      undefined,
    );
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { accepted: number; rejected: { index: number }[] };
    expect(summary.accepted).toBe(batch.valid.length);
    expect(summary.rejected.map((r) => r.index)).toEqual(
      batch.events.map((_, i) => i).filter((i) => i % 2 === 0),
    );
    expect(await storedIds(batch.valid)).toEqual(batch.valid);
  });

  test("POST /api/v1/events: a rejected event whose id is an e-mail address is logged without it", async () => {
    const probe = { ...event(), id: "probe.alice@example.com", purpose: undefined };
    const res = await eventsPOST(
      new Request("http://localhost/api/v1/events", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
        body: JSON.stringify({ events: [probe] }),
      }),
      undefined,
    );
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, id: null }] });
    const logged = await rejectedRows("api");
    expect(logged.filter((r) => r.event_id?.includes("alice"))).toEqual([]);
    expect(logged.at(-1)).toMatchObject({
      event_id: null,
      errors: [
        "id: expected 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'",
        "purpose: required for consent.granted",
      ],
    });
  });

  test("POST /api/v1/events with 100,000 unknown fields: a short answer and a small rejected-events row", async () => {
    const wide = {
      ...event(),
      ...Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, i])),
    };
    const sibling = event();
    const body = JSON.stringify({ events: [wide, sibling] });
    const res = await eventsPOST(
      new Request("http://localhost/api/v1/events", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
        body,
      }),
      undefined,
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeLessThan(1000);
    expect(JSON.parse(text)).toMatchObject({ accepted: 1, rejected: [{ index: 0, id: wide.id }] });
    const logged = (await rejectedRows("api")).filter((r) => r.event_id === wide.id);
    expect(logged).toHaveLength(1);
    expect(Number(logged[0]!.bytes)).toBeLessThan(1000);
  });

  test("the Events screen's upload (NDJSON)", async () => {
    const batch = mixedBatch();
    const form = new FormData();
    form.set(
      "file",
      new File([batch.events.map(serialize).join("\n")], "hostile.ndjson", { type: "application/x-ndjson" }),
    );
    const res = await uploadPOST(
      new Request("http://localhost:3000/api/v1/events/upload", {
        method: "POST",
        headers: { cookie: admin.cookie, origin: "http://localhost:3000", host: "localhost:3000" },
        body: form,
      }),
      undefined,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: batch.valid.length, rejected_count: batch.bad });
    expect(await storedIds(batch.valid)).toEqual(batch.valid);
  });

  test("an upload that stops being CSV part-way is a 400 that says so and how many records before it were stored", async () => {
    const good = [event(), event(), event()];
    const csv = [
      "id,type,subject,occurred_at,purpose",
      ...good.map((e) => [e.id, e.type, e.subject, e.occurred_at, e.purpose].join(",")),
      'x,"unclosed',
    ].join("\n");
    const form = new FormData();
    form.set("file", new File([csv], "broken.csv", { type: "text/csv" }));
    const res = await uploadPOST(
      new Request("http://localhost:3000/api/v1/events/upload", {
        method: "POST",
        headers: { cookie: admin.cookie, origin: "http://localhost:3000", host: "localhost:3000" },
        body: form,
      }),
      undefined,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /^CSV: .*Quote Not Closed.*\(the 3 records before it were read: 3 stored, 0 rejected\)$/,
    );
    expect(await storedIds(good.map((e) => e.id))).toEqual(good.map((e) => e.id).sort());
  });

  test("tl import (NDJSON file)", async () => {
    const batch = mixedBatch();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tl-hostile-")), "hostile.ndjson");
    fs.writeFileSync(file, batch.events.map(serialize).join("\n"));
    const summary = await importFile(ws.db, ws.id, file);
    expect(summary).toMatchObject({ accepted: batch.valid.length, rejected_count: batch.bad });
    expect(await storedIds(batch.valid)).toEqual(batch.valid);
    expect((await rejectedRows("import")).every((r) => Number(r.bytes) < 1000)).toBe(true);
  });

  test("POST /api/v1/signals: a NUL or personal-data subject rejects that signal; its sibling is stored", async () => {
    const signal = (subject: string) => ({
      kind: "gpc",
      subject,
      occurred_at: "2026-03-01T10:00:00Z",
      gpc: true,
    });
    const res = await signalsPOST(
      new Request("http://localhost/api/v1/signals", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
        body: JSON.stringify({
          signals: [
            signal("sig\u0000x"),
            signal("tel:+4915112345678"),
            signal("sig\ud800"),
            { ...signal("sig_ok"), "\u0000": 1 },
            {
              kind: "google_consent_mode",
              subject: "sig_ok",
              occurred_at: "2026-03-01T10:00:00Z",
              consent: { analytics_storage: "granted" },
            },
          ],
        }),
      }),
      undefined,
    );
    expect(res.status).toBe(200);
    const summary = (await res.json()) as {
      accepted: number;
      rejected: { index: number; errors: string[] }[];
    };
    expect(summary.accepted).toBe(1);
    expect(summary.rejected).toEqual([
      { index: 0, errors: ["subject: contains a NUL character (\\u0000)"] },
      { index: 1, errors: ["subject: looks like a phone number; send a pseudonymous id instead"] },
      {
        index: 2,
        errors: ["subject: contains a lone surrogate (such as \\ud800), which is not a character"],
      },
      { index: 3, errors: ["unknown field \\u0000"] },
    ]);
  });
});

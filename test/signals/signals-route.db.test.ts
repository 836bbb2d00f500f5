import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { POST } from "@/app/api/v1/signals/route";
import { rows } from "@/db/client";
import { createApiKey } from "@/lib/keys";
import { routesUseTestDatabase } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { changes, consentEvents, eventCount, giveConsent } from "./helpers";
import {
  GPP_TCFEU_ONLY,
  GPP_USNAT_ALL_OPTED_OUT,
  GPP_USVA_OPTED_OUT,
  TC_PURPOSES_1_TO_10,
  TC_PURPOSES_3_TO_9,
  TC_VERSION_1,
} from "./published-strings";

let ws: TestWorkspace;
let ingestKey: string;
let readKey: string;

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace();
  [ingestKey, readKey] = (await Promise.all(
    (["ingest", "read"] as const).map(async (scope) => (await createApiKey(ws.db, ws.id, [scope])).key),
  )) as [string, string];
});

interface Summary {
  accepted: number;
  duplicates: number;
  unchanged: number;
  rejected: { index: number; errors: string[] }[];
  events: string[];
}

async function post(
  body: unknown,
  headers: Record<string, string> = {},
  key: string | null = ingestKey,
): Promise<Response> {
  const h: Record<string, string> = { "content-type": "application/json", ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return POST(
    new Request("http://localhost/api/v1/signals", { method: "POST", body: text, headers: h }),
    undefined,
  );
}

async function send(body: unknown, headers: Record<string, string> = {}): Promise<Summary> {
  const res = await post(body, headers);
  expect(res.status).toBe(200);
  return (await res.json()) as Summary;
}

const at = (minute: number) => `2026-03-01T12:${String(minute).padStart(2, "0")}:00Z`;
let n = 0;
const newSubject = () => `sig_${++n}_${Math.random().toString(36).slice(2, 8)}`;

describe("POST /api/v1/signals", () => {
  test("a published TC string becomes one consent event per mapped purpose, stored with the signal's context", async () => {
    const subject = newSubject();
    const summary = await send({
      kind: "tcf",
      subject,
      occurred_at: at(0),
      tc_string: TC_PURPOSES_3_TO_9,
      region: "DE",
      channel: "web",
      context: "banner",
    });
    const stored = await consentEvents(ws.db, ws.id, subject);
    expect(changes(stored)).toEqual([
      ["ads", "consent.denied", "tcf"],
      ["analytics", "consent.granted", "tcf"],
      ["personalised-offers", "consent.granted", "tcf"],
    ]);
    expect(
      stored.every(
        (e) =>
          e.region === "DE" &&
          e.channel === "web" &&
          e.context === "banner" &&
          e.occurred_at === "2026-03-01T12:00:00Z",
      ),
    ).toBe(true);
    expect(summary).toEqual({
      accepted: 3,
      duplicates: 0,
      unchanged: 0,
      rejected: [],
      events: stored.map((e) => e.id),
    });
  });

  test("a later TC string stores only what changed: ads, denied before, is now granted", async () => {
    const subject = newSubject();
    await send({ kind: "tcf", subject, occurred_at: at(0), tc_string: TC_PURPOSES_3_TO_9 });
    const summary = await send({ kind: "tcf", subject, occurred_at: at(5), tc_string: TC_PURPOSES_1_TO_10 });
    expect(summary).toMatchObject({ accepted: 1, unchanged: 0 });
    expect(changes(await consentEvents(ws.db, ws.id, subject)).at(-1)).toEqual([
      "ads",
      "consent.granted",
      "tcf",
    ]);
  });

  test("published GPP strings: a tcfeuv2 section answers like a TC string, a usnat opt-out withdraws what was granted", async () => {
    const subject = newSubject();
    await send({ kind: "gpp", subject, occurred_at: at(0), gpp_string: GPP_TCFEU_ONLY });
    expect(changes(await consentEvents(ws.db, ws.id, subject))).toEqual([
      ["ads", "consent.denied", "gpp"],
      ["analytics", "consent.denied", "gpp"],
      ["personalised-offers", "consent.denied", "gpp"],
    ]);
    const other = newSubject();
    await giveConsent(ws.db, ws.id, other, at(0), {
      ads: "granted",
      "data-sharing": "granted",
      analytics: "granted",
    });
    const summary = await send({
      kind: "gpp",
      subject: other,
      occurred_at: at(1),
      gpp_string: GPP_USNAT_ALL_OPTED_OUT,
    });
    expect(summary.accepted).toBe(2);
    expect(changes((await consentEvents(ws.db, ws.id, other)).slice(3))).toEqual([
      ["ads", "consent.withdrawn", "gpp"],
      ["data-sharing", "consent.withdrawn", "gpp"],
    ]);
  });

  test.each([
    {
      name: "a TCF v1 string",
      signal: { kind: "tcf", tc_string: TC_VERSION_1 },
      error: /^tc_string: not a valid TCF v2 TC string \(version 1 strings are not supported\)$/,
    },
    {
      name: "a GPP string that does not decode",
      signal: { kind: "gpp", gpp_string: "garbage" },
      error: /^gpp_string: not a valid GPP string/,
    },
    {
      name: "an unknown kind",
      signal: { kind: "usp", usp_string: "1YNN" },
      error: /^kind: expected one of tcf, gpp, gpc, google_consent_mode, segment$/,
    },
    {
      name: "an e-mail as subject",
      signal: { kind: "gpc", gpc: true, subject: "anna@example.com" },
      error: /^subject: looks like an e-mail address/,
    },
    {
      name: "a time before 2000",
      signal: { kind: "gpc", gpc: true, occurred_at: "1999-12-31T23:00:00Z" },
      error: /^occurred_at: must not be before 2000-01-01$/,
    },
  ])("$name is rejected with a clear error and nothing is stored for it", async ({ signal, error }) => {
    const subject = newSubject();
    await giveConsent(ws.db, ws.id, subject, at(0), { ads: "granted" });
    const before = await eventCount(ws.db, ws.id);
    const good = { kind: "gpc", subject, occurred_at: at(1), gpc: true };
    const summary = await send({ signals: [good, { subject, occurred_at: at(2), ...signal }] });
    expect(summary.rejected).toHaveLength(1);
    expect(summary.rejected[0]?.index).toBe(1);
    expect(summary.rejected[0]?.errors.some((e) => error.test(e))).toBe(true);
    expect(summary.accepted).toBe(1);
    expect(await eventCount(ws.db, ws.id)).toBe(before + 1);
    const logged = await rows<{ via: string; errors: string[] }>(
      ws.db,
      sql`SELECT via, errors FROM rejected_events WHERE workspace_id = ${ws.id} ORDER BY seq DESC LIMIT 1`,
    );
    expect(logged[0]?.via).toBe("signals");
    expect(logged[0]?.errors[0]).toMatch(/^signal 1: /);
  });

  test("GPC in the body withdraws exactly the purposes the mapping marks, from a subject who had granted them", async () => {
    const subject = newSubject();
    await giveConsent(ws.db, ws.id, subject, at(0), {
      ads: "granted",
      "data-sharing": "granted",
      analytics: "granted",
    });
    const summary = await send({ kind: "gpc", subject, occurred_at: at(1), gpc: true });
    expect(summary.accepted).toBe(2);
    expect(changes((await consentEvents(ws.db, ws.id, subject)).slice(3))).toEqual([
      ["ads", "consent.withdrawn", "gpc"],
      ["data-sharing", "consent.withdrawn", "gpc"],
    ]);
  });

  test("the Sec-GPC: 1 header with a subject and occurred_at in the body is a GPC signal", async () => {
    const subject = newSubject();
    await giveConsent(ws.db, ws.id, subject, at(0), { ads: "granted", analytics: "granted" });
    const summary = await send({ subject, occurred_at: at(1), region: "US-CA" }, { "sec-gpc": "1" });
    const stored = (await consentEvents(ws.db, ws.id, subject)).slice(2);
    expect(changes(stored)).toEqual([["ads", "consent.withdrawn", "gpc"]]);
    expect(stored[0]?.region).toBe("US-CA");
    expect(summary).toMatchObject({ accepted: 1, events: [stored[0]?.id] });
  });

  test("without Sec-GPC, a body with no kind is rejected and names what is missing", async () => {
    const summary = await send({ subject: newSubject(), occurred_at: at(1) });
    expect(summary.rejected).toEqual([
      { index: 0, errors: ["kind: expected one of tcf, gpp, gpc, google_consent_mode, segment"] },
    ]);
  });

  test("replaying a signal adds nothing", async () => {
    const subject = newSubject();
    const signals = [
      {
        kind: "google_consent_mode",
        subject,
        occurred_at: at(0),
        consent: { ad_storage: "granted", analytics_storage: "denied" },
      },
      { kind: "gpp", subject, occurred_at: at(1), gpp_string: GPP_USVA_OPTED_OUT },
    ];
    const first = await send({ signals });
    expect(first).toMatchObject({ accepted: 3, unchanged: 0 });
    const before = await eventCount(ws.db, ws.id);
    expect(await send({ signals })).toEqual({
      accepted: 0,
      duplicates: 0,
      unchanged: 2,
      rejected: [],
      events: [],
    });
    expect(await eventCount(ws.db, ws.id)).toBe(before);
  });

  test("a signal that restates the current consent produces no event", async () => {
    const subject = newSubject();
    await giveConsent(ws.db, ws.id, subject, at(0), { analytics: "granted", ads: "denied" });
    const summary = await send({
      kind: "google_consent_mode",
      subject,
      occurred_at: at(1),
      consent: { analytics_storage: "granted", ad_storage: "denied" },
    });
    expect(summary).toEqual({ accepted: 0, duplicates: 0, unchanged: 1, rejected: [], events: [] });
  });

  test("two signals of one subject in one batch apply in order: the GPC sees the grant the Consent Mode signal made", async () => {
    const subject = newSubject();
    const grant = {
      kind: "google_consent_mode",
      subject,
      occurred_at: at(0),
      consent: { ad_storage: "granted" },
    };
    const gpc = { kind: "gpc", subject, occurred_at: at(1), gpc: true };
    await send({ signals: [grant, gpc] });
    expect(changes(await consentEvents(ws.db, ws.id, subject))).toEqual([
      ["ads", "consent.granted", "google_consent_mode"],
      ["ads", "consent.withdrawn", "gpc"],
    ]);
  });

  test("a Segment consent event is accepted as Segment sends it, and NDJSON bodies work", async () => {
    const subject = newSubject();
    const segment = {
      type: "track",
      event: "Segment Consent Preference Updated",
      userId: subject,
      timestamp: at(0),
      context: { consent: { categoryPreferences: { Advertising: false, Analytics: true } } },
    };
    const gpc = { kind: "gpc", subject, occurred_at: at(1), gpc: true };
    const summary = await send([segment, gpc].map((s) => JSON.stringify(s)).join("\n"), {
      "content-type": "application/x-ndjson",
    });
    expect(summary).toMatchObject({ accepted: 2, unchanged: 1 });
    expect(changes(await consentEvents(ws.db, ws.id, subject))).toEqual([
      ["ads", "consent.denied", "segment"],
      ["analytics", "consent.granted", "segment"],
    ]);
  });

  test("the workspace's own mapping decides which purposes a signal reaches", async () => {
    const own = await freshWorkspace({ signal_mapping: { gpc: ["partner-sharing"] } });
    const key = (await createApiKey(own.db, own.id, ["ingest"])).key;
    await giveConsent(own.db, own.id, "cus_1", at(0), { ads: "granted", "partner-sharing": "granted" });
    const res = await post({ kind: "gpc", subject: "cus_1", occurred_at: at(1), gpc: true }, {}, key);
    expect(((await res.json()) as Summary).accepted).toBe(1);
    expect(changes((await consentEvents(own.db, own.id)).slice(2))).toEqual([
      ["partner-sharing", "consent.withdrawn", "gpc"],
    ]);
  });

  test.each([
    ["a body that is not JSON", "{oops", "application/json", 400, "body is not valid JSON"],
    [
      "a list that is not an array",
      JSON.stringify({ signals: {} }),
      "application/json",
      400,
      'expected a JSON object {"signals": [...]} or one object',
    ],
    ["another content type", "kind,subject", "text/csv", 415, "Content-Type 'text/csv' is not supported"],
    [
      "more than 5,000 signals",
      JSON.stringify({ signals: Array.from({ length: 5001 }, () => ({ kind: "gpc" })) }),
      "application/json",
      413,
      "5001 signals is over the limit of 5000",
    ],
  ])("%s is refused and nothing is stored", async (_name, body, type, status, message) => {
    const before = await eventCount(ws.db, ws.id);
    const res = await post(body, { "content-type": type });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    expect(await eventCount(ws.db, ws.id)).toBe(before);
  });

  test.each([
    ["no API key", null, 401],
    ["an unknown API key", "tl_000000000000_nope", 401],
  ])("%s is 401", async (_name, key, status) => {
    expect(
      (await post({ kind: "gpc", subject: "cus_1", occurred_at: at(0), gpc: true }, {}, key)).status,
    ).toBe(status);
  });

  test("a key without the ingest scope is 403", async () => {
    expect(
      (await post({ kind: "gpc", subject: "cus_1", occurred_at: at(0), gpc: true }, {}, readKey)).status,
    ).toBe(403);
  });
});

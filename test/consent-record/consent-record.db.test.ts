import { beforeAll, describe, expect, test } from "vitest";
import { GET } from "@/app/api/v1/subjects/[id]/consent-record/route";
import { consentRecord, type ConsentRecord } from "@/lib/consent-record";
import { AppError } from "@/lib/errors";
import { ingestEvents } from "@/lib/ingest";
import { createApiKey } from "@/lib/keys";
import { ingestSignals } from "@/lib/signals/ingest";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { addMember, params, request, routesUseTestDatabase } from "../helpers/auth";

const config = {
  purposes: [
    { key: "ads", name: "Advertising", legal_basis: "consent", value_promise: "Offers that fit you" },
    {
      key: "order-updates",
      name: "Order updates",
      legal_basis: "contract",
      value_promise: "Know where your parcel is",
    },
  ],
  fields: [{ key: "birthday", name: "Birthday", sensitivity: "medium", purposes: ["ads"] }],
};

let ws: TestWorkspace;
let other: TestWorkspace;

const event = (id: string, type: string, occurred_at: string, extra: Record<string, unknown> = {}) => ({
  id,
  type,
  subject: "cus_7",
  occurred_at,
  ...extra,
});

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace(config);
  other = await freshWorkspace(config);
  // Sent out of order: the record lists them in event order.
  await ingestEvents(
    ws.db,
    ws.id,
    [
      event("e-3", "consent.withdrawn", "2026-02-03T09:00:00Z", {
        purpose: "ads",
        source: "unsubscribe",
        channel: "email",
      }),
      event("e-1", "consent.granted", "2026-02-01T09:00:00Z", {
        purpose: "ads",
        source: "cmp",
        channel: "web",
        region: "DE",
        context: "checkout",
      }),
      event("e-2", "data.collected", "2026-02-01T09:00:00Z", { field: "birthday" }),
      event("e-4", "data.used", "2026-02-02T09:00:00Z", { field: "birthday", purpose: "ads" }),
      event("e-5", "data.deleted", "2026-02-04T09:00:00Z", { field: "birthday", campaign: "cmp-1" }),
      event("e-6", "consent.granted", "2026-02-01T09:00:00Z", { purpose: "newsletter" }),
    ],
    "api",
  );
  await ingestSignals(ws.db, ws.id, [
    {
      kind: "google_consent_mode",
      subject: "cus_7",
      occurred_at: "2026-02-05T09:00:00Z",
      consent: { ad_storage: "granted" },
    },
  ]);
  await ingestEvents(
    other.db,
    other.id,
    [
      {
        ...event("o-1", "consent.granted", "2026-02-01T09:00:00Z", { purpose: "ads" }),
        subject: "cus_other",
      },
    ],
    "api",
  );
});

describe("consent record", () => {
  test("lists the subject's consent events in event order with the fields of each", async () => {
    const record = await consentRecord(ws.db, ws.id, "cus_7");
    expect(record.events.map((e) => [e.purpose, e.type, e.occurred_at.slice(0, 10), e.source])).toEqual([
      ["ads", "consent.granted", "2026-02-01", "cmp"],
      ["newsletter", "consent.granted", "2026-02-01", null],
      ["ads", "consent.withdrawn", "2026-02-03", "unsubscribe"],
      ["ads", "consent.granted", "2026-02-05", "google_consent_mode"],
    ]);
    expect(record.events[0]).toMatchObject({
      id: "e-1",
      occurred_at: "2026-02-01T09:00:00.000Z",
      channel: "web",
      region: "DE",
      context: "checkout",
    });
  });

  test("says who the controller is and, per purpose, the current state, legal basis and value promise", async () => {
    const record = await consentRecord(ws.db, ws.id, "cus_7");
    expect(record).toMatchObject({
      schema_version: "trustledger-consent-record/1",
      conforms_to: "ISO/IEC TS 27560:2023",
      controller: { name: ws.slug, workspace: ws.slug },
      subject: { id: "cus_7", region: "DE", channel: "email", first_seen_at: "2026-02-01T09:00:00.000Z" },
    });
    expect(record.record_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await consentRecord(ws.db, ws.id, "cus_7")).record_id).toBe(record.record_id);
    const byKey = Object.fromEntries(record.purposes.map((p) => [p.purpose, p]));
    expect(byKey.ads).toMatchObject({
      state: "granted",
      state_since: "2026-02-05T09:00:00.000Z",
      legal_basis: "consent",
      value_promise: "Offers that fit you",
      status: "declared",
    });
    expect(byKey["order-updates"]).toMatchObject({
      state: "never_asked",
      legal_basis: "contract",
      state_since: null,
    });
    expect(byKey.newsletter).toMatchObject({ state: "granted", status: "undeclared", legal_basis: null });
  });

  test("lists the data collected, used and deleted for each of the subject's fields", async () => {
    const [birthday] = (await consentRecord(ws.db, ws.id, "cus_7")).data;
    expect(birthday).toMatchObject({
      field: "birthday",
      name: "Birthday",
      serves: ["ads"],
      held: false,
      last_collected_at: "2026-02-01T09:00:00.000Z",
      last_used_at: "2026-02-02T09:00:00.000Z",
      deleted_at: "2026-02-04T09:00:00.000Z",
    });
    expect(birthday?.facts.map((f) => [f.id, f.type, f.purpose, f.campaign])).toEqual([
      ["e-2", "data.collected", null, null],
      ["e-4", "data.used", "ads", null],
      ["e-5", "data.deleted", null, "cmp-1"],
    ]);
  });

  test("an unknown subject, or another workspace's, is not found", async () => {
    await expect(consentRecord(ws.db, ws.id, "cus_nobody")).rejects.toMatchObject({ code: "not_found" });
    await expect(consentRecord(ws.db, ws.id, "cus_other")).rejects.toBeInstanceOf(AppError);
    await expect(consentRecord(other.db, other.id, "cus_7")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("GET /api/v1/subjects/<id>/consent-record", () => {
  const get = (subject: string, headers: Record<string, string> = {}, cookie?: string) =>
    GET(
      request(`/api/v1/subjects/${encodeURIComponent(subject)}/consent-record`, { headers, cookie }),
      params({ id: subject }),
    );
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  test("a read key gets its workspace's record, the same JSON as the library", async () => {
    const key = (await createApiKey(ws.db, ws.id, ["read"])).key;
    const res = await get("cus_7", bearer(key));
    expect(res.status).toBe(200);
    const body = (await res.json()) as ConsentRecord;
    const direct = await consentRecord(ws.db, ws.id, "cus_7");
    expect({ ...body, generated_at: "" }).toEqual({ ...direct, generated_at: "" });
  });

  test("a signed-in member who may read individual-level data gets the record of their workspace", async () => {
    const { cookie } = await addMember(ws, "privacy");
    const res = await get("cus_7", {}, cookie);
    expect(res.status).toBe(200);
    expect(((await res.json()) as ConsentRecord).events).toHaveLength(4);
  });

  test("another workspace's key gets 404 for this workspace's subject", async () => {
    const key = (await createApiKey(other.db, other.id, ["read"])).key;
    expect((await get("cus_7", bearer(key))).status).toBe(404);
    expect((await get("cus_other", bearer(key))).status).toBe(200);
  });

  test.each([
    ["no key and no session", {}, 401],
    ["an unknown key", { authorization: "Bearer tl_000000000000_nope" }, 401],
  ])("%s is %s", async (_name, headers, status) => {
    expect((await get("cus_7", headers)).status).toBe(status);
  });

  test("a key without the read scope is 403", async () => {
    const key = (await createApiKey(ws.db, ws.id, ["ingest"])).key;
    expect((await get("cus_7", bearer(key))).status).toBe(403);
  });
});

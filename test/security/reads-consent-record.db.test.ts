import { and, eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { GET } from "@/app/api/v1/subjects/[id]/consent-record/route";
import { auditLog } from "@/db/schema";
import { cliActor } from "@/lib/auth/member";
import { canReadIndividuals, ROLES } from "@/lib/auth/permissions";
import { consentRecord } from "@/lib/consent-record";
import { CONSENT_RECORD_READ, readConsentRecord } from "@/lib/consent-record/read";
import { ingestEvents } from "@/lib/ingest";
import { createApiKey } from "@/lib/keys";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { addMember, params, request, routesUseTestDatabase } from "../helpers/auth";

let ws: TestWorkspace;

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace({ purposes: [{ key: "ads", name: "Ads", legal_basis: "consent" }] });
  await ingestEvents(
    ws.db,
    ws.id,
    [
      {
        id: "r-1",
        type: "consent.granted",
        subject: "cus_reads",
        purpose: "ads",
        occurred_at: "2026-02-01T09:00:00Z",
      },
    ],
    "api",
  );
});

const get = (init: { cookie?: string; headers?: Record<string, string> }) =>
  GET(request("/api/v1/subjects/cus_reads/consent-record", init), params({ id: "cus_reads" }));

const reads = async () =>
  (
    await ws.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, CONSENT_RECORD_READ)))
      .orderBy(auditLog.id)
  ).map((r) => [r.actor, r.target, r.details]);

test("one rule says who reads individual-level data: admin and privacy everything, marketers suppression lists only", () => {
  expect(
    ROLES.map((r) => [r, canReadIndividuals(r, "consent-record"), canReadIndividuals(r, "suppression-list")]),
  ).toEqual([
    ["admin", true, true],
    ["privacy", true, true],
    ["marketer", false, true],
    ["executive", false, false],
  ]);
});

test("marketers and executives get 403 for a consent record, admin and privacy get it, and every read is audited without the subject id", async () => {
  const before = (await reads()).length;
  const statuses: [string, number][] = [];
  for (const role of ROLES) {
    const { cookie } = await addMember(ws, role);
    const res = await get({ cookie });
    statuses.push([role, res.status]);
    if (res.status === 403)
      expect(((await res.json()) as { message: string }).message).toBe(
        `the ${role} role may not read individual-level data (consent-record)`,
      );
    else expect(((await res.json()) as { subject: { id: string } }).subject.id).toBe("cus_reads");
  }
  expect(statuses).toEqual([
    ["admin", 200],
    ["privacy", 200],
    ["marketer", 403],
    ["executive", 403],
  ]);
  const key = await createApiKey(ws.db, ws.id, ["read"]);
  expect((await get({ headers: { authorization: `Bearer ${key.key}` } })).status).toBe(200);
  await readConsentRecord(ws.db, cliActor(ws.id), "cus_reads");

  const recordId = (await consentRecord(ws.db, ws.id, "cus_reads")).record_id;
  const logged = (await reads()).slice(before);
  expect(logged.map(([actor]) => String(actor).split("-")[0])).toEqual([
    "admin",
    "privacy",
    `api_key:${key.id}`,
    "cli",
  ]);
  expect(
    logged.every(
      ([, target, details]) =>
        target === recordId &&
        JSON.stringify(details) === JSON.stringify({ kind: "consent-record", events: 1 }),
    ),
  ).toBe(true);
  expect(JSON.stringify(logged)).not.toContain("cus_reads");
});

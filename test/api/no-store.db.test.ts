import { beforeAll, expect, test } from "vitest";
import { GET as auditGET } from "@/app/api/settings/audit/route";
import { GET as usersGET } from "@/app/api/settings/users/route";
import { GET as metricsGET } from "@/app/api/v1/metrics/[metric]/route";
import { GET as consentRecordGET } from "@/app/api/v1/subjects/[id]/consent-record/route";
import { ingestEvents } from "@/lib/ingest";
import { createApiKey } from "@/lib/keys";
import { addMember, params, request, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";

let ws: TestWorkspace;
let admin: TestMember;
let readKey: string;

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace();
  admin = await addMember(ws, "admin");
  readKey = (await createApiKey(ws.db, ws.id, ["read"])).key;
  const granted = { type: "consent.granted", subject: "cus_1", purpose: "ads" };
  await ingestEvents(ws.db, ws.id, [{ id: "n-1", occurred_at: "2026-01-10T10:00:00Z", ...granted }], "api");
});

const withKey = () => ({ headers: { authorization: `Bearer ${readKey}` } });

test.each([
  [
    "the consent record",
    200,
    () =>
      consentRecordGET(request("/api/v1/subjects/cus_1/consent-record", withKey()), params({ id: "cus_1" })),
  ],
  [
    "a metric",
    200,
    () =>
      metricsGET(
        request("/api/v1/metrics/opt-in?from=2026-01-01&to=2026-02-01", withKey()),
        params({ metric: "opt-in" }),
      ),
  ],
  ["the audit log", 200, () => auditGET(request("/api/settings/audit", { cookie: admin.cookie }), undefined)],
  ["the users", 200, () => usersGET(request("/api/settings/users", { cookie: admin.cookie }), undefined)],
  ["a 401 for a request without a session", 401, () => auditGET(request("/api/settings/audit"), undefined)],
])("%s is answered (%i) with Cache-Control: no-store", async (_name, status, get) => {
  const res = await get();
  expect(res.status).toBe(status);
  expect(res.headers.get("cache-control")).toBe("no-store");
});

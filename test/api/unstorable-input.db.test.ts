import { beforeAll, expect, test } from "vitest";
import { POST as invitationsPOST } from "@/app/api/account/invitations/route";
import { GET as auditGET } from "@/app/api/settings/audit/route";
import { DELETE as invitationsDELETE } from "@/app/api/settings/invitations/route";
import { POST as keysPOST } from "@/app/api/settings/keys/route";
import { POST as usersPOST } from "@/app/api/settings/users/route";
import { GET as audienceGET } from "@/app/api/v1/campaigns/audience/route";
import { GET as campaignGET } from "@/app/api/v1/campaigns/[id]/route";
import { POST as campaignsPOST } from "@/app/api/v1/campaigns/route";
import { GET as insightGET } from "@/app/api/v1/insights/[name]/route";
import { GET as metricsGET } from "@/app/api/v1/metrics/[metric]/route";
import { POST as snapshotsPOST } from "@/app/api/v1/snapshots/route";
import { GET as consentRecordGET } from "@/app/api/v1/subjects/[id]/consent-record/route";
import { GET as suppressionGET } from "@/app/api/v1/suppression/route";
import { createApiKey } from "@/lib/keys";
import { addMember, params, request, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { freshWorkspace } from "../helpers/db";

let admin: TestMember;
let readKey: string;

beforeAll(async () => {
  await routesUseTestDatabase();
  const ws = await freshWorkspace({
    purposes: [{ key: "ads", name: "Ads", legal_basis: "consent" }],
    fields: [{ key: "birthday", name: "Birthday", purposes: ["ads"] }],
  });
  admin = await addMember(ws, "admin");
  readKey = (await createApiKey(ws.db, ws.id, ["read"])).key;
});

const NUL = "contains a NUL character (\\u0000)";
const SURROGATE = "contains a lone surrogate (such as \\ud800), which is not a character";
const asAdmin = (path: string) => request(path, { cookie: admin.cookie });
const withKey = (path: string) => request(path, { headers: { authorization: `Bearer ${readKey}` } });
const campaign = { name: "Birthday", field: "birthday", action: "delete" };
const post = (path: string, body: unknown) => request(path, { method: "POST", cookie: admin.cookie, body });

test.each<[string, () => Promise<Response>, string]>([
  [
    "GET /api/v1/metrics/withdrawals?channel=%00",
    () => metricsGET(withKey("/api/v1/metrics/withdrawals?channel=%00"), params({ metric: "withdrawals" })),
    `channel: ${NUL}`,
  ],
  [
    "GET /api/v1/metrics/opt-in?region=%00",
    () => metricsGET(withKey("/api/v1/metrics/opt-in?region=%00"), params({ metric: "opt-in" })),
    `region: ${NUL}`,
  ],
  [
    "GET /api/v1/metrics/opt-in?context=%00",
    () => metricsGET(withKey("/api/v1/metrics/opt-in?context=%00"), params({ metric: "opt-in" })),
    `context: ${NUL}`,
  ],
  [
    "GET /api/v1/subjects/a%00b/consent-record",
    () => consentRecordGET(withKey("/api/v1/subjects/a%00b/consent-record"), params({ id: "a\u0000b" })),
    `id: ${NUL}`,
  ],
  [
    "GET /api/v1/suppression?purpose=ads%00",
    () => suppressionGET(asAdmin("/api/v1/suppression?purpose=ads%00"), undefined),
    `purpose: ${NUL}`,
  ],
  [
    "GET /api/v1/campaigns/%00",
    () => campaignGET(asAdmin("/api/v1/campaigns/%00"), params({ id: "\u0000" })),
    `id: ${NUL}`,
  ],
  [
    "GET /api/v1/campaigns/audience?field=birthday&channel=%00",
    () => audienceGET(asAdmin("/api/v1/campaigns/audience?field=birthday&channel=%00"), undefined),
    `channel: ${NUL}`,
  ],
  [
    "GET /api/settings/audit?actor=%00",
    () => auditGET(asAdmin("/api/settings/audit?actor=%00"), undefined),
    `actor: ${NUL}`,
  ],
  [
    "GET /api/v1/insights/churn-after-withdrawal?region=%00",
    () =>
      insightGET(
        asAdmin("/api/v1/insights/churn-after-withdrawal?region=%00"),
        params({ name: "churn-after-withdrawal" }),
      ),
    `region: ${NUL}`,
  ],
  [
    "POST /api/v1/snapshots with a NUL region",
    () =>
      snapshotsPOST(
        post("/api/v1/snapshots", { from: "2026-01-01", to: "2026-02-01", region: "\u0000" }),
        undefined,
      ),
    `region: ${NUL}`,
  ],
  [
    "POST /api/v1/campaigns with a NUL in the name",
    () => campaignsPOST(post("/api/v1/campaigns", { ...campaign, name: "Birthday\u0000" }), undefined),
    `name: ${NUL}`,
  ],
  [
    "POST /api/v1/campaigns with a lone surrogate in the message",
    () => campaignsPOST(post("/api/v1/campaigns", { ...campaign, message: "Thanks \ud800" }), undefined),
    `message: ${SURROGATE}`,
  ],
  [
    "POST /api/v1/campaigns with a NUL channel",
    () => campaignsPOST(post("/api/v1/campaigns", { ...campaign, channel: "email\u0000" }), undefined),
    `channel: ${NUL}`,
  ],
  [
    "DELETE /api/settings/invitations with a NUL in the e-mail",
    () =>
      invitationsDELETE(
        request("/api/settings/invitations", {
          method: "DELETE",
          cookie: admin.cookie,
          body: { email: "a@example.test\u0000" },
        }),
        undefined,
      ),
    `email: ${NUL}`,
  ],
  [
    "POST /api/settings/keys with a NUL in the name",
    () => keysPOST(post("/api/settings/keys", { name: "\u0000", scopes: ["read"] }), undefined),
    `name: ${NUL}`,
  ],
  [
    "POST /api/settings/users with a NUL in the e-mail",
    () =>
      usersPOST(post("/api/settings/users", { email: "a\u0000@example.test", role: "marketer" }), undefined),
    `email: ${NUL}`,
  ],
  [
    "POST /api/account/invitations with a NUL workspace",
    () => invitationsPOST(post("/api/account/invitations", { workspace: "\u0000", accept: true }), undefined),
    `workspace: ${NUL}`,
  ],
])("%s is a 400 naming the parameter, not a 500", async (_name, call, message) => {
  const res = await call();
  expect({ status: res.status, body: await res.json() }).toEqual({
    status: 400,
    body: { error: "bad_request", message },
  });
});

test("a query parameter given twice is a 400 naming it, not one of the two taken silently", async () => {
  const res = await metricsGET(
    withKey("/api/v1/metrics/opt-in?from=2026-01-01&from=2026-02-01&to=2026-03-01"),
    params({ metric: "opt-in" }),
  );
  expect({ status: res.status, body: await res.json() }).toEqual({
    status: 400,
    body: { error: "bad_request", message: "from: given more than once; give it once" },
  });
  const once = await metricsGET(
    withKey("/api/v1/metrics/opt-in?from=2026-01-01&to=2026-03-01"),
    params({ metric: "opt-in" }),
  );
  expect(once.status).toBe(200);
});

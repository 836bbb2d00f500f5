import { randomBytes } from "node:crypto";
import { resetPassword } from "@/lib/auth/account";
import type { Actor } from "@/lib/auth/member";
import type { Permission } from "@/lib/auth/permissions";
import { auditCsv, listAudit } from "@/lib/audit";
import { createApiKey } from "@/lib/keys";
import { getCatalog, saveField, savePurpose } from "@/lib/settings/catalog";
import { createKey, listKeys, revokeKey } from "@/lib/settings/keys";
import { getWebhook, saveWebhook } from "@/lib/settings/webhook";
import { getTrustWeights, saveTrustWeights } from "@/lib/settings/weights";
import { changeRole, inviteMember, listMembers, removeMember } from "@/lib/users";
import * as catalogRoute from "@/app/api/settings/catalog/route";
import * as purposesRoute from "@/app/api/settings/purposes/route";
import * as fieldsRoute from "@/app/api/settings/fields/route";
import * as usersRoute from "@/app/api/settings/users/route";
import * as userRoute from "@/app/api/settings/users/[id]/route";
import * as userPasswordRoute from "@/app/api/settings/users/[id]/password/route";
import * as keysRoute from "@/app/api/settings/keys/route";
import * as keyRoute from "@/app/api/settings/keys/[id]/route";
import * as webhookRoute from "@/app/api/settings/webhook/route";
import * as weightsRoute from "@/app/api/settings/trust-weights/route";
import * as auditRoute from "@/app/api/settings/audit/route";
import type { TestWorkspace } from "../helpers/db";
import { addMember, params, request } from "../helpers/auth";

const suffix = () => randomBytes(4).toString("hex");
const purpose = () => ({
  key: `p-${suffix()}`,
  name: "Order updates",
  description: "Tell you where your order is",
  value_promise: "Fewer support calls",
  legal_basis: "contract",
});
const field = () => ({
  key: `f-${suffix()}`,
  name: "Birthday",
  sensitivity: "medium",
  dormancy_days: 90,
  purposes: [],
});
const invite = () => ({ email: `invitee-${suffix()}@example.test`, role: "marketer" });
const weights = {
  consent: 1,
  retention: 1,
  reciprocity: 1,
  minimisation: 1,
  transparency: 1,
  accountability: 1,
  survey: 0,
};
const webhook = { url: "https://203.0.113.10/trustledger", secret: { mode: "generate" } };

/** A target an action works on (another member, a key), made in the workspace before the action runs. */
type Target = number;

export interface SettingsAction {
  name: string;
  permission: Permission;
  setup?: (ws: TestWorkspace) => Promise<Target>;
  lib: (ws: TestWorkspace, actor: Actor, target: Target) => Promise<unknown>;
  route: (cookie: string, target: Target) => Promise<Response>;
}

const newMember = async (ws: TestWorkspace) => (await addMember(ws, "marketer")).member.userId;
const newKey = async (ws: TestWorkspace) => (await createApiKey(ws.db, ws.id, ["read"])).id;

export const SETTINGS_ACTIONS: SettingsAction[] = [
  {
    name: "read purposes and fields",
    permission: "settings:read",
    lib: (ws, a) => getCatalog(ws.db, a),
    route: (c) => catalogRoute.GET(request("/api/settings/catalog", { cookie: c }), {}),
  },
  {
    name: "declare a purpose",
    permission: "settings:write",
    lib: (ws, a) => savePurpose(ws.db, a, purpose()),
    route: (c) =>
      purposesRoute.POST(
        request("/api/settings/purposes", { method: "POST", cookie: c, body: purpose() }),
        {},
      ),
  },
  {
    name: "declare a field",
    permission: "settings:write",
    lib: (ws, a) => saveField(ws.db, a, field()),
    route: (c) =>
      fieldsRoute.POST(request("/api/settings/fields", { method: "POST", cookie: c, body: field() }), {}),
  },
  {
    name: "list users",
    permission: "users:manage",
    lib: (ws, a) => listMembers(ws.db, a),
    route: (c) => usersRoute.GET(request("/api/settings/users", { cookie: c }), {}),
  },
  {
    name: "invite a user",
    permission: "users:manage",
    lib: (ws, a) => inviteMember(ws.db, a, invite()),
    route: (c) =>
      usersRoute.POST(request("/api/settings/users", { method: "POST", cookie: c, body: invite() }), {}),
  },
  {
    name: "change a role",
    permission: "users:manage",
    setup: newMember,
    lib: (ws, a, t) => changeRole(ws.db, a, { userId: t, role: "executive" }),
    route: (c, t) =>
      userRoute.PATCH(
        request(`/api/settings/users/${t}`, { method: "PATCH", cookie: c, body: { role: "executive" } }),
        params({ id: String(t) }),
      ),
  },
  {
    name: "remove a user",
    permission: "users:manage",
    setup: newMember,
    lib: (ws, a, t) => removeMember(ws.db, a, { userId: t }),
    route: (c, t) =>
      userRoute.DELETE(
        request(`/api/settings/users/${t}`, { method: "DELETE", cookie: c }),
        params({ id: String(t) }),
      ),
  },
  {
    name: "reset a member's password",
    permission: "users:manage",
    setup: newMember,
    lib: (ws, a, t) => resetPassword(ws.db, a, { userId: t }),
    route: (c, t) =>
      userPasswordRoute.POST(
        request(`/api/settings/users/${t}/password`, { method: "POST", cookie: c }),
        params({ id: String(t) }),
      ),
  },
  {
    name: "list API keys",
    permission: "keys:manage",
    lib: (ws, a) => listKeys(ws.db, a),
    route: (c) => keysRoute.GET(request("/api/settings/keys", { cookie: c }), {}),
  },
  {
    name: "create an API key",
    permission: "keys:manage",
    lib: (ws, a) => createKey(ws.db, a, { scopes: ["ingest"], name: "crm" }),
    route: (c) =>
      keysRoute.POST(
        request("/api/settings/keys", {
          method: "POST",
          cookie: c,
          body: { scopes: ["ingest"], name: "crm" },
        }),
        {},
      ),
  },
  {
    name: "revoke an API key",
    permission: "keys:manage",
    setup: newKey,
    lib: (ws, a, t) => revokeKey(ws.db, a, { id: t }),
    route: (c, t) =>
      keyRoute.DELETE(
        request(`/api/settings/keys/${t}`, { method: "DELETE", cookie: c }),
        params({ id: String(t) }),
      ),
  },
  {
    name: "read the webhook",
    permission: "settings:read",
    lib: (ws, a) => getWebhook(ws.db, a),
    route: (c) => webhookRoute.GET(request("/api/settings/webhook", { cookie: c }), {}),
  },
  {
    name: "save the webhook",
    permission: "settings:write",
    lib: (ws, a) => saveWebhook(ws.db, a, webhook),
    route: (c) =>
      webhookRoute.PUT(request("/api/settings/webhook", { method: "PUT", cookie: c, body: webhook }), {}),
  },
  {
    name: "read the Trust Index weights",
    permission: "settings:read",
    lib: (ws, a) => getTrustWeights(ws.db, a),
    route: (c) => weightsRoute.GET(request("/api/settings/trust-weights", { cookie: c }), {}),
  },
  {
    name: "save the Trust Index weights",
    permission: "settings:write",
    lib: (ws, a) => saveTrustWeights(ws.db, a, weights),
    route: (c) =>
      weightsRoute.PUT(
        request("/api/settings/trust-weights", { method: "PUT", cookie: c, body: weights }),
        {},
      ),
  },
  {
    name: "read the audit log",
    permission: "audit:read",
    lib: (ws, a) => listAudit(ws.db, a),
    route: (c) => auditRoute.GET(request("/api/settings/audit", { cookie: c }), {}),
  },
  {
    name: "export the audit log",
    permission: "audit:read",
    lib: (ws, a) => auditCsv(ws.db, a),
    route: (c) => auditRoute.GET(request("/api/settings/audit?format=csv", { cookie: c }), {}),
  },
];

import { randomBytes } from "node:crypto";
import { beforeAll, expect, test } from "vitest";
import { auditCsv, listAudit, recordAudit } from "@/lib/audit";
import { signInWithPassword } from "@/lib/auth/signin";
import { saveField, savePurpose } from "@/lib/settings/catalog";
import { createKey, revokeKey } from "@/lib/settings/keys";
import { saveWebhook } from "@/lib/settings/webhook";
import { saveTrustWeights } from "@/lib/settings/weights";
import { changeRole, inviteMember, removeMember } from "@/lib/users";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { addMember, type TestMember } from "../helpers/auth";

let ws: TestWorkspace;
let admin: TestMember;
const secrets: string[] = [];
// Users are shared by every workspace: a new address each run, so a reused test database still invites a new user.
const invitee = `New.Person.${randomBytes(4).toString("hex")}@Example.test`;

beforeAll(async () => {
  ws = await freshWorkspace();
  admin = await addMember(ws, "admin", "admin-password-123");
  const { actor } = admin;
  await savePurpose(ws.db, actor, { key: "ads", name: "Ads", legal_basis: "consent" });
  await saveField(ws.db, actor, { key: "birthday", name: "Birthday", purposes: ["ads"] });
  const invited = await inviteMember(ws.db, actor, { email: invitee, role: "marketer" });
  secrets.push(invited.one_time_password, "the-invitee-chose-this");
  const joined = await signInWithPassword(
    ws.db,
    { email: invitee, password: invited.one_time_password, new_password: "the-invitee-chose-this" },
    null,
  );
  if (!joined) throw new Error("the invitation was not redeemed");
  await changeRole(ws.db, actor, { userId: joined.id, role: "privacy" });
  await removeMember(ws.db, actor, { userId: joined.id });
  const key = await createKey(ws.db, actor, { scopes: ["ingest", "read"], name: "crm" });
  secrets.push(key.key);
  await revokeKey(ws.db, actor, { id: key.id });
  const hook = await saveWebhook(ws.db, actor, {
    url: "https://203.0.113.10/x",
    secret: { mode: "generate" },
  });
  secrets.push(hook.generated_secret ?? "");
  await saveWebhook(ws.db, actor, {
    url: "https://203.0.113.10/x",
    secret: { mode: "set", value: "a-secret-we-chose-ourselves" },
  });
  secrets.push("a-secret-we-chose-ourselves");
  await saveTrustWeights(ws.db, actor, {
    consent: 2,
    retention: 1,
    reciprocity: 1,
    minimisation: 1,
    transparency: 1,
    accountability: 1,
    survey: 1,
  });
  await signInWithPassword(
    ws.db,
    { email: admin.member.email, password: "admin-password-123" },
    "203.0.113.50",
  );
  await signInWithPassword(ws.db, { email: admin.member.email, password: "not-it" }, "203.0.113.51");
});

test("every kind of settings, key, user and sign-in action is in the audit log with who, what and from where", async () => {
  const entries = await listAudit(ws.db, admin.actor);
  const summary = entries.map((e) => [e.action, e.target, e.actor, e.ip]).reverse();
  const who = admin.member.email;
  expect(summary).toEqual([
    ["settings.purpose_save", "ads", who, "203.0.113.9"],
    ["settings.field_save", "birthday", who, "203.0.113.9"],
    ["user.invite", invitee.toLowerCase(), who, "203.0.113.9"],
    ["user.invitation_accept", invitee.toLowerCase(), invitee.toLowerCase(), null],
    ["user.password_set", invitee.toLowerCase(), invitee.toLowerCase(), null],
    ["auth.sign_in", invitee.toLowerCase(), invitee.toLowerCase(), null],
    ["user.role_change", invitee.toLowerCase(), who, "203.0.113.9"],
    ["user.remove", invitee.toLowerCase(), who, "203.0.113.9"],
    ["key.create", expect.stringMatching(/^tl_[0-9a-f]{12}$/), who, "203.0.113.9"],
    ["key.revoke", expect.any(String), who, "203.0.113.9"],
    ["settings.webhook_save", "webhook", who, "203.0.113.9"],
    ["settings.webhook_save", "webhook", who, "203.0.113.9"],
    ["settings.weights_save", "trust_index", who, "203.0.113.9"],
    ["auth.sign_in", who, who, "203.0.113.50"],
    ["auth.sign_in_failed", who, who, "203.0.113.51"],
  ]);
  expect(entries.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  const roleChange = entries.find((e) => e.action === "user.role_change");
  expect(roleChange?.details).toEqual({ from: "marketer", to: "privacy" });
});

test("no password, API key or webhook secret ever reaches the audit log", async () => {
  const csv = await auditCsv(ws.db, admin.actor);
  const json = JSON.stringify(await listAudit(ws.db, admin.actor));
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(10);
    expect(csv).not.toContain(secret);
    expect(json).not.toContain(secret);
  }
  expect(json).not.toContain("admin-password-123");
  expect(json).not.toContain("not-it");
});

test("the log filters by action family, by actor and by date, and exports the same rows as CSV", async () => {
  const keyActions = await listAudit(ws.db, admin.actor, { action: "key" });
  expect(keyActions.map((e) => e.action).sort()).toEqual(["key.create", "key.revoke"]);
  expect(await listAudit(ws.db, admin.actor, { action: "key.create" })).toHaveLength(1);
  expect(await listAudit(ws.db, admin.actor, { action: "ke" })).toHaveLength(0);
  expect(
    await listAudit(ws.db, admin.actor, { actor: admin.member.email.slice(0, 8).toUpperCase() }),
  ).toHaveLength(12);
  expect(await listAudit(ws.db, admin.actor, { actor: "%" })).toHaveLength(0);
  expect(await listAudit(ws.db, admin.actor, { to: "2000-01-02" })).toHaveLength(0);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  expect(await listAudit(ws.db, admin.actor, { from: "2000-01-01", to: tomorrow })).toHaveLength(15);
  await expect(listAudit(ws.db, admin.actor, { from: "yesterday" })).rejects.toThrow(
    "from: expected a date (2026-01-01) or an ISO-8601 instant with offset (2026-01-01T00:00:00Z)",
  );

  const csv = (await auditCsv(ws.db, admin.actor, { action: "user" })).trim().split("\n");
  expect(csv[0]).toBe("at,actor,action,target,ip,details");
  expect(csv.slice(1).map((l) => l.split(",")[2])).toEqual([
    "user.remove",
    "user.role_change",
    "user.password_set",
    "user.invitation_accept",
    "user.invite",
  ]);
});

test("a CSV cell that a spreadsheet would run as a formula is defused", async () => {
  await recordAudit(ws.db, { workspaceId: ws.id, actor: '=HYPERLINK("http://x")', action: "test.formula" });
  const csv = await auditCsv(ws.db, admin.actor, { action: "test" });
  expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
});

import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog } from "@/db/schema";
import { NO_WORKSPACE } from "@/lib/audit";
import { SIGN_IN_MAX_FAILURES, SignInRefused, signInWithPassword } from "@/lib/auth/signin";
import { freshWorkspace } from "../helpers/db";
import { addMember } from "../helpers/auth";

const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomBytes(3).toString("hex")}`;

async function actions(db: Awaited<ReturnType<typeof freshWorkspace>>["db"], workspaceId: number, actor: string) {
  const rows = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.actor, actor))).orderBy(auditLog.id);
  return rows.map((r) => ({ action: r.action, ip: r.ip }));
}

test("the right password signs in and is audited with the address; a wrong one returns null and is audited too", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "marketer", "a-long-enough-password");
  const from = ip();
  expect(await signInWithPassword(ws.db, { email: member.email.toUpperCase(), password: "a-long-enough-password" }, from)).toEqual({
    id: member.userId,
    email: member.email,
    name: "marketer",
  });
  expect(await signInWithPassword(ws.db, { email: member.email, password: "wrong" }, from)).toBeNull();
  expect(await actions(ws.db, ws.id, member.email)).toEqual([
    { action: "auth.sign_in", ip: from },
    { action: "auth.sign_in_failed", ip: from },
  ]);
});

test("20 wrong passwords in a row lock the e-mail: even the right password is refused with the time to wait", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "executive", "the-right-password");
  const refusals: string[] = [];
  for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
    try {
      expect(await signInWithPassword(ws.db, { email: member.email, password: `wrong-${i}` }, ip())).toBeNull();
    } catch (e) {
      refusals.push((e as Error).message);
    }
  }
  expect(refusals).toEqual(["Too many attempts, try again in 15 minutes"]);
  await expect(signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, ip())).rejects.toThrow(SignInRefused);
  await expect(signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, ip())).rejects.toThrow(/^Too many attempts, try again in 15 minutes$/);
  const logged = await actions(ws.db, ws.id, member.email);
  expect(logged.filter((a) => a.action === "auth.sign_in_failed")).toHaveLength(SIGN_IN_MAX_FAILURES - 1);
  expect(logged.filter((a) => a.action === "auth.locked_out")).toHaveLength(1);
});

test("a success before the 20th failure starts the count again (in a row)", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "privacy", "the-right-password");
  for (let i = 0; i < SIGN_IN_MAX_FAILURES - 1; i++) await signInWithPassword(ws.db, { email: member.email, password: "wrong" }, null);
  expect(await signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, null)).not.toBeNull();
  for (let i = 0; i < SIGN_IN_MAX_FAILURES - 1; i++) await signInWithPassword(ws.db, { email: member.email, password: "wrong" }, null);
  expect(await signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, null)).not.toBeNull();
});

test("20 failures from one address lock that address for every e-mail, not other addresses", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "admin", "the-right-password");
  const attacker = ip();
  for (let i = 0; i < SIGN_IN_MAX_FAILURES - 1; i++) await signInWithPassword(ws.db, { email: `nobody-${i}@example.test`, password: "x" }, attacker);
  await expect(signInWithPassword(ws.db, { email: "nobody-last@example.test", password: "x" }, attacker)).rejects.toThrow(/Too many attempts/);
  await expect(signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, attacker)).rejects.toThrow(/Too many attempts/);
  expect(await signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, ip())).not.toBeNull();
});

test("a failed sign-in for an unknown e-mail is audited against no workspace", async () => {
  const ws = await freshWorkspace();
  const email = `ghost-${randomBytes(4).toString("hex")}@example.test`;
  expect(await signInWithPassword(ws.db, { email, password: "whatever" }, "192.0.2.1")).toBeNull();
  const rows = await ws.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, NO_WORKSPACE), eq(auditLog.actor, email)));
  expect(rows.map((r) => [r.workspaceId, r.action, r.ip, r.details])).toEqual([[NO_WORKSPACE, "auth.sign_in_failed", "192.0.2.1", { method: "password", known_user: false }]]);
});

test("a user without any workspace cannot sign in", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "marketer", "the-right-password");
  const { memberships } = await import("@/db/schema");
  await ws.db.delete(memberships).where(eq(memberships.userId, member.userId));
  await expect(signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, null)).rejects.toThrow(/belongs to no workspace/);
});

import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog } from "@/db/schema";
import { NO_WORKSPACE } from "@/lib/audit";
import { signInWithPassword } from "@/lib/auth/signin";
import { PAIR_BACKOFF } from "@/lib/auth/throttle";
import { freshWorkspace } from "../helpers/db";
import { addMember } from "../helpers/auth";

const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomBytes(3).toString("hex")}`;

async function actions(
  db: Awaited<ReturnType<typeof freshWorkspace>>["db"],
  workspaceId: number,
  actor: string,
) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.actor, actor)))
    .orderBy(auditLog.id);
  return rows.map((r) => ({ action: r.action, ip: r.ip }));
}

test("the right password signs in and is audited with the address; a wrong one returns null and is audited too", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "marketer", "a-long-enough-password");
  const from = ip();
  expect(
    await signInWithPassword(
      ws.db,
      { email: member.email.toUpperCase(), password: "a-long-enough-password" },
      from,
    ),
  ).toEqual({
    id: member.userId,
    email: member.email,
    name: "marketer",
    sessionVersion: 0,
  });
  expect(await signInWithPassword(ws.db, { email: member.email, password: "wrong" }, from)).toBeNull();
  expect(await actions(ws.db, ws.id, member.email)).toEqual([
    { action: "auth.sign_in", ip: from },
    { action: "auth.sign_in_failed", ip: from },
  ]);
});

test("a success before the back-off starts the count again (in a row)", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "privacy", "the-right-password");
  const from = ip();
  for (let i = 0; i < PAIR_BACKOFF.freeFailures - 1; i++)
    await signInWithPassword(ws.db, { email: member.email, password: "wrong" }, from);
  expect(
    await signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, from),
  ).not.toBeNull();
  for (let i = 0; i < PAIR_BACKOFF.freeFailures - 1; i++)
    await signInWithPassword(ws.db, { email: member.email, password: "wrong" }, from);
  expect(
    await signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, from),
  ).not.toBeNull();
});

test("a failed sign-in for an unknown e-mail is audited against no workspace", async () => {
  const ws = await freshWorkspace();
  const email = `ghost-${randomBytes(4).toString("hex")}@example.test`;
  expect(await signInWithPassword(ws.db, { email, password: "whatever" }, "192.0.2.1")).toBeNull();
  const rows = await ws.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, NO_WORKSPACE), eq(auditLog.actor, email)));
  expect(rows.map((r) => [r.workspaceId, r.action, r.ip, r.details])).toEqual([
    [NO_WORKSPACE, "auth.sign_in_failed", "192.0.2.1", { method: "password", known_user: false }],
  ]);
});

test("a user without any workspace cannot sign in", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "marketer", "the-right-password");
  const { memberships } = await import("@/db/schema");
  await ws.db.delete(memberships).where(eq(memberships.userId, member.userId));
  await expect(
    signInWithPassword(ws.db, { email: member.email, password: "the-right-password" }, null),
  ).rejects.toThrow(/belongs to no workspace/);
});

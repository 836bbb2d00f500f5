import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, expect, onTestFinished, test, vi } from "vitest";
import { auditLog } from "@/db/schema";
import { NO_WORKSPACE } from "@/lib/audit";
import { authOptions } from "@/lib/auth/options";
import { SERVER_BUSY, signInWithPassword } from "@/lib/auth/signin";
import { ACCOUNT_BACKOFF, PAIR_BACKOFF, signInThrottle } from "@/lib/auth/throttle";
import { HASH_CONCURRENCY, HASH_QUEUE, hashingBusy, hashingCap, verifyPassword } from "@/lib/users/password";
import { freshWorkspace } from "../helpers/db";
import { addMember, routesUseTestDatabase } from "../helpers/auth";
import { restoreEnv } from "../helpers/env";
import { newEmail, testAddress } from "./helpers";

beforeAll(routesUseTestDatabase);

afterEach(() => {
  vi.useRealTimers();
});

function trustProxies(hops: string | undefined): void {
  const saved = process.env.TL_TRUSTED_PROXIES;
  onTestFinished(() => restoreEnv("TL_TRUSTED_PROXIES", saved));
  restoreEnv("TL_TRUSTED_PROXIES", hops);
}

/** next-auth's credentials check, exactly as POST /api/auth/callback/credentials runs it. */
async function authorizeWith(email: string, password: string, forwardedFor: string) {
  const provider = authOptions().providers.find((p) => p.id === "credentials") as unknown as {
    options: {
      authorize: (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
    };
  };
  return provider.options.authorize({ email, password }, { headers: { "x-forwarded-for": forwardedFor } });
}

const addressesLogged = async (
  db: Awaited<ReturnType<typeof freshWorkspace>>["db"],
  workspaceId: number,
  email: string,
) =>
  (
    await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.actor, email)))
      .orderBy(auditLog.id)
  ).map((r) => [r.action, r.ip]);

test("X-Forwarded-For is ignored unless TL_TRUSTED_PROXIES says how many proxies to believe; the audit log keeps the trusted address", async () => {
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "admin", "the-right-password");
  trustProxies(undefined);
  await authorizeWith(member.email, "wrong-1", "6.6.6.6");
  trustProxies("1");
  await authorizeWith(member.email, "wrong-2", "6.6.6.6, 198.51.100.20");
  expect(await authorizeWith(member.email, "the-right-password", "7.7.7.7, 198.51.100.21")).toMatchObject({
    email: member.email,
  });
  expect(await addressesLogged(ws.db, ws.id, member.email)).toEqual([
    ["auth.sign_in_failed", null],
    ["auth.sign_in_failed", "198.51.100.20"],
    ["auth.sign_in", "198.51.100.21"],
  ]);
});

test("one address guessing an account backs off exponentially; a claimed X-Forwarded-For does not escape it; the owner elsewhere signs in at once", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-06-01T10:00:00Z"));
  trustProxies("1");
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "admin", "the-right-password");
  const attacker = testAddress();
  const outcomes: string[] = [];
  for (let i = 0; i < 40; i++) {
    // Each attempt claims another client address in front of the proxy's own entry.
    const claimed = `10.9.${i}.1, ${attacker}`;
    outcomes.push(
      await authorizeWith(member.email, `wrong-${i}`, claimed).then(
        (u) => (u ? "in" : "wrong"),
        (e: Error) => e.message,
      ),
    );
  }
  expect(outcomes.slice(0, PAIR_BACKOFF.freeFailures + 1)).toEqual(
    Array(PAIR_BACKOFF.freeFailures + 1).fill("wrong"),
  );
  expect(new Set(outcomes.slice(PAIR_BACKOFF.freeFailures + 1))).toEqual(
    new Set(["Too many attempts, try again in 1 second"]),
  );
  // The waits double with each further failure, up to 15 minutes for that address, never more.
  const waits: string[] = [];
  for (let i = 0; i < 14; i++) {
    vi.setSystemTime(Date.now() + 16 * 60_000);
    waits.push(
      await authorizeWith(member.email, "wrong", attacker).then(
        () => "none",
        (e: Error) => e.message,
      ),
    );
    waits.push(
      await authorizeWith(member.email, "wrong", attacker).then(
        () => "none",
        (e: Error) => e.message,
      ),
    );
  }
  expect(waits.slice(1, 4).filter((_, i) => i % 2 === 0)).toEqual([
    "Too many attempts, try again in 2 seconds",
    "Too many attempts, try again in 4 seconds",
  ]);
  expect(waits.at(-1)).toBe("Too many attempts, try again in 15 minutes");
  // The owner, from another address, is not refused even now.
  expect(await authorizeWith(member.email, "the-right-password", testAddress())).toMatchObject({
    email: member.email,
  });
});

test("failures from many addresses slow the account for at most 30 s, and not at all from an address it signed in from before", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-06-02T10:00:00Z"));
  trustProxies("1");
  const ws = await freshWorkspace();
  const { member } = await addMember(ws, "privacy", "the-right-password");
  const home = testAddress();
  expect(await authorizeWith(member.email, "the-right-password", home)).not.toBeNull();
  for (let i = 0; i < 60; i++) {
    await authorizeWith(member.email, "wrong", testAddress()).catch(() => null);
    vi.setSystemTime(Date.now() + 500);
  }
  await expect(authorizeWith(member.email, "the-right-password", testAddress())).rejects.toThrow(
    /^Too many attempts, try again in (\d|[12]\d|30) seconds?$/,
  );
  expect(await authorizeWith(member.email, "the-right-password", home)).toMatchObject({
    email: member.email,
  });
  // The success cleared the account's count; even without it the wait ends after ACCOUNT_BACKOFF.maxMs.
  expect(await authorizeWith(member.email, "the-right-password", testAddress())).not.toBeNull();
  for (let i = 0; i < 60; i++) await authorizeWith(member.email, "wrong", testAddress()).catch(() => null);
  vi.setSystemTime(Date.now() + ACCOUNT_BACKOFF.maxMs);
  expect(await authorizeWith(member.email, "the-right-password", testAddress())).toMatchObject({
    email: member.email,
  });
});

test("password hashing runs one at a time: of 20 at once, 16 wait and the rest are refused at once; a refused sign-in is not counted", async () => {
  const ws = await freshWorkspace();
  hashingCap.peak = 0;
  const answers = await Promise.all(
    Array.from({ length: 20 }, () =>
      verifyPassword(null, "guess").then(
        () => "checked",
        (e: Error) => e.message,
      ),
    ),
  );
  expect(hashingCap.peak).toBe(HASH_CONCURRENCY);
  expect(answers.filter((a) => a === "checked")).toHaveLength(HASH_CONCURRENCY + HASH_QUEUE);
  expect(answers.filter((a) => a === hashingBusy().message)).toHaveLength(20 - HASH_CONCURRENCY - HASH_QUEUE);

  // While the queue is full, a sign-in is refused before any check: nothing is audited or counted for it.
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const holders = Array.from({ length: HASH_CONCURRENCY + HASH_QUEUE }, () => hashingCap.run(() => gate));
  const email = newEmail("flood");
  await expect(signInWithPassword(ws.db, { email, password: "guess" }, null)).rejects.toThrow(SERVER_BUSY);
  release();
  await Promise.all(holders);
  expect(
    await ws.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, NO_WORKSPACE), eq(auditLog.actor, email))),
  ).toEqual([]);
  expect(signInThrottle.account.waitFor(email)).toBe(0);
  expect(await signInWithPassword(ws.db, { email, password: "guess" }, null)).toBeNull();
});

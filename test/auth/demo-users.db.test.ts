import { and, eq, inArray } from "drizzle-orm";
import { expect, test } from "vitest";
import { memberships, users } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_USERS, createDemoUsers } from "@/lib/users/demo";
import { verifyPassword } from "@/lib/users/password";
import { freshWorkspace } from "../helpers/db";

test("the demo has one user per role plus a second privacy user, all with the documented password, and re-running is harmless", async () => {
  const ws = await freshWorkspace();
  await createDemoUsers(ws.db, ws.id);
  const creds = await createDemoUsers(ws.db, ws.id);
  expect(creds.map((c) => c.role)).toEqual(["admin", "privacy", "privacy", "marketer", "executive"]);
  expect(DEMO_PASSWORD).toBe("demo-password");
  const rows = await ws.db
    .select({ email: users.email, hash: users.passwordHash, role: memberships.role })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, ws.id)))
    .where(
      inArray(
        users.email,
        DEMO_USERS.map((u) => u.email),
      ),
    );
  expect(rows).toHaveLength(5);
  for (const r of rows) expect(await verifyPassword(r.hash, DEMO_PASSWORD)).toBe(true);
}, 120_000);

import { beforeAll, describe, expect, test } from "vitest";
import { can, ROLES } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { addMember, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { SETTINGS_ACTIONS } from "./actions";

let ws: TestWorkspace;
const members = {} as Record<(typeof ROLES)[number], TestMember>;

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace();
  for (const role of ROLES) members[role] = await addMember(ws, role);
});

const cases = SETTINGS_ACTIONS.flatMap((action) =>
  ROLES.map((role) => ({ action, role, allowed: can(role, action.permission), label: action.name })),
);

describe("in lib", () => {
  test.each(cases)("$role: $label → allowed $allowed", async ({ action, role, allowed }) => {
    const target = action.setup ? await action.setup(ws) : 0;
    const outcome = await action.lib(ws, members[role].actor, target).then(
      () => "allowed",
      (e: unknown) => (e instanceof AppError ? e.code : e),
    );
    expect(outcome).toBe(allowed ? "allowed" : "forbidden");
  });
});

describe("through the route handlers", () => {
  test.each(cases)("$role: $label → allowed $allowed", async ({ action, role, allowed }) => {
    const target = action.setup ? await action.setup(ws) : 0;
    const res = await action.route(members[role].cookie, target);
    if (allowed) expect(res.status, await res.clone().text()).toBeLessThan(300);
    else expect(res.status).toBe(403);
  });

  test.each(SETTINGS_ACTIONS)("signed out: $name → 401", async (action) => {
    const target = action.setup ? await action.setup(ws) : 0;
    expect((await action.route("", target)).status).toBe(401);
  });
});

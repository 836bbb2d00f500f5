import { expect, test } from "vitest";
import { can, PERMISSIONS, ROLES, type Permission, type Role } from "@/lib/auth/permissions";

const ALLOWED: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  privacy: [
    "metrics:read",
    "suppression:read",
    "requests:read",
    "inventory:read",
    "campaigns:read",
    "campaigns:write",
    "campaigns:approve",
    "events:read",
    "audit:read",
  ],
  marketer: ["metrics:read", "suppression:read"],
  executive: ["metrics:read"],
};

const cases = ROLES.flatMap((role) =>
  PERMISSIONS.map((permission) => ({ role, permission, allowed: ALLOWED[role].includes(permission) })),
);

test.each(cases)("$role may $permission: $allowed", ({ role, permission, allowed }) => {
  expect(can(role, permission)).toBe(allowed);
});

test("only admins manage users, keys and settings", () => {
  for (const p of [
    "users:manage",
    "keys:manage",
    "settings:write",
    "settings:read",
    "events:write",
  ] as const) {
    expect(ROLES.filter((r) => can(r, p))).toEqual(["admin"]);
  }
});

export const ROLES = ["admin", "privacy", "marketer", "executive"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "metrics:read",
  "suppression:read",
  "requests:read",
  "inventory:read",
  "campaigns:read",
  "campaigns:write",
  "campaigns:approve",
  "events:read",
  "events:write",
  "settings:read",
  "settings:write",
  "users:manage",
  "keys:manage",
  "audit:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// SPEC section 6: admin everything; privacy runs inventory and campaigns (and reads the audit log, SPEC section 1 "users");
// marketers and executives read metrics only (the Purposes screen is a metrics screen).
const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
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
  // SPEC section 6: marketers read suppression lists (a list of subjects), not data requests.
  marketer: ["metrics:read", "suppression:read"],
  executive: ["metrics:read"],
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

/** Data about one person rather than counts: a subject's consent record, a campaign's suppression list. */
export type IndividualRecordKind = "consent-record" | "suppression-list";

/**
 * Who reads individual-level data: admin and privacy read every kind; marketers read suppression lists only (whom
 * not to contact); executives read none. Every such read is written to the audit log by the function that serves it.
 */
export function canReadIndividuals(role: Role, kind: IndividualRecordKind): boolean {
  if (role === "admin" || role === "privacy") return true;
  return role === "marketer" && kind === "suppression-list";
}

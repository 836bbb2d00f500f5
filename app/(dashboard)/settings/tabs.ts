import type { Permission } from "@/lib/auth/permissions";

export const SETTINGS_TABS: { href: string; label: string; permission: Permission }[] = [
  { href: "/settings/purposes", label: "Purposes & fields", permission: "settings:read" },
  { href: "/settings/users", label: "Users & roles", permission: "users:manage" },
  { href: "/settings/keys", label: "API keys", permission: "keys:manage" },
  { href: "/settings/webhook", label: "Webhook", permission: "settings:read" },
  { href: "/settings/trust-index", label: "Trust Index weights", permission: "settings:read" },
  { href: "/settings/signals", label: "Consent signals", permission: "settings:write" },
  { href: "/settings/audit", label: "Audit log", permission: "audit:read" },
];

import { forbidden, redirect } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { SETTINGS_TABS } from "./tabs";

export default async function SettingsHome() {
  const member = await requireMember();
  const first = SETTINGS_TABS.find((t) => can(member.role, t.permission));
  if (!first) forbidden();
  redirect(first.href);
}

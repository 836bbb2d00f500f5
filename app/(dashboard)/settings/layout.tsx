import type { ReactNode } from "react";
import { can } from "@/lib/auth/permissions";
import { requireMember } from "@/lib/auth/session";
import { SettingsTabs } from "./settings-tabs";
import { SETTINGS_TABS } from "./tabs";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const member = await requireMember();
  const tabs = SETTINGS_TABS.filter((t) => can(member.role, t.permission)).map(({ href, label }) => ({
    href,
    label,
  }));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>{member.workspaceName}: what you declare, who has access, and what was changed by whom.</p>
        </div>
      </div>
      {tabs.length ? <SettingsTabs tabs={tabs} /> : null}
      {children}
    </>
  );
}

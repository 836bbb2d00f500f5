import { HydrationBoundary } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { PendingNotice } from "@/app/_components/pending-notice";
import { DashboardProviders } from "@/app/_components/providers";
import { screenContext } from "@/app/_components/server-context";
import { readerTheme } from "@/app/_components/theme-cookie";
import { Sidebar, type NavGroup } from "@/app/_components/sidebar";
import { ThemeToggle } from "@/app/_components/theme-toggle";
import { WorkspaceSwitcher } from "@/app/_components/workspace-switcher";
import { SignOutButton } from "@/app/signin/sign-out-button";
import { can, permissionsOf, type Permission } from "@/lib/auth/permissions";
import { actorOf } from "@/lib/auth/member";
import { switchWorkspace } from "@/lib/auth/switch-workspace";
import { awaitingApproval } from "@/lib/campaigns";
import { getDb } from "@/lib/server/database";

export const dynamic = "force-dynamic";

const NAV: {
  heading: string;
  items: { href: string; label: string; permission?: Permission; unless?: Permission; keepsView: boolean }[];
}[] = [
  {
    heading: "Trust",
    items: [
      { href: "/overview", label: "Overview", permission: "metrics:read", keepsView: true },
      { href: "/purposes", label: "Purposes", permission: "metrics:read", keepsView: true },
      { href: "/reciprocity", label: "Reciprocity", permission: "metrics:read", keepsView: true },
      { href: "/churn", label: "Churn", permission: "metrics:read", keepsView: true },
      { href: "/suppression", label: "Suppression", permission: "suppression:read", keepsView: false },
    ],
  },
  {
    heading: "Data",
    items: [
      { href: "/inventory", label: "Data inventory", permission: "inventory:read", keepsView: true },
      { href: "/campaigns", label: "Give-back campaigns", permission: "campaigns:read", keepsView: false },
      { href: "/requests", label: "Requests", permission: "requests:read", keepsView: true },
      { href: "/events", label: "Events", permission: "events:read", keepsView: true },
    ],
  },
  {
    heading: "Workspace",
    items: [
      { href: "/settings", label: "Settings", permission: "settings:read", keepsView: false },
      // The privacy team reads the audit log without the rest of Settings: its own link.
      {
        href: "/settings/audit",
        label: "Audit log",
        permission: "audit:read",
        unless: "settings:read",
        keepsView: false,
      },
      { href: "/definitions", label: "Definitions", keepsView: false },
    ],
  },
];

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const [{ member, defaults, formats, catalog }, theme] = await Promise.all([screenContext(), readerTheme()]);
  // Approvers are told in the navigation that a campaign waits for them.
  const waiting = await awaitingApproval(await getDb(), actorOf(member, null));
  const groups: NavGroup[] = NAV.map((g) => ({
    heading: g.heading,
    items: g.items
      .filter(
        (i) => (!i.permission || can(member.role, i.permission)) && !(i.unless && can(member.role, i.unless)),
      )
      .map(({ href, label, keepsView }) => ({
        href,
        label,
        keepsView,
        badge:
          href === "/campaigns" && waiting > 0
            ? { count: waiting, label: `${waiting} waiting for your approval` }
            : undefined,
      })),
  })).filter((g) => g.items.length > 0);
  return (
    <DashboardProviders formats={formats} defaults={defaults} permissions={permissionsOf(member.role)}>
      <HydrationBoundary state={catalog}>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <div className="shell">
          <Sidebar
            groups={groups}
            top={
              <WorkspaceSwitcher
                current={member.workspaceSlug}
                workspaces={member.workspaces.map((w) => ({ slug: w.slug, name: w.name, role: w.role }))}
                switchAction={switchWorkspace}
              />
            }
            bottom={
              <>
                <ThemeToggle initial={theme} />
                <div className="user-line" title={member.email}>
                  <Link href="/account">{member.name ?? member.email}</Link> · {member.role}
                </div>
                <SignOutButton className="btn btn-small" />
              </>
            }
          />
          <main id="main" className="content" tabIndex={-1}>
            <PendingNotice />
            {children}
          </main>
        </div>
      </HydrationBoundary>
    </DashboardProviders>
  );
}

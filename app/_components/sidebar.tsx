"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";
import { FILTER_KEYS } from "./view";

export interface NavItem {
  href: string;
  label: string;
  /** Screens that read the period and filters keep them when you move between them. */
  keepsView: boolean;
  /** A count that asks for the reader's action (campaigns waiting for their approval). */
  badge?: { count: number; label: string };
}

export interface NavGroup {
  heading: string;
  items: NavItem[];
}

const VIEW_KEYS = ["from", "to", "granularity", ...FILTER_KEYS];

export function Sidebar({ groups, top, bottom }: { groups: NavGroup[]; top: ReactNode; bottom: ReactNode }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const carried = new URLSearchParams();
  for (const key of VIEW_KEYS) {
    const value = search.get(key);
    if (value) carried.set(key, value);
  }
  const carriedQuery = carried.toString();
  // On a phone the navigation folds behind a "Menu" button, so the screen's numbers start at the top.
  // It is open on the page where it was opened: following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const waiting = groups.flatMap((g) => g.items).reduce((n, i) => n + (i.badge?.count ?? 0), 0);
  const menuButton = useRef<HTMLButtonElement>(null);
  return (
    <div className="sidebar-col">
      <nav
        className="sidebar"
        aria-label="Main"
        data-open={open}
        onKeyDown={(e) => {
          // Escape folds the open menu, as a drawer does, and gives the focus back to its button.
          if (e.key !== "Escape" || !open) return;
          setOpenOn(null);
          menuButton.current?.focus();
        }}
      >
        <div className="sidebar-top">
          <Link href="/overview" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Trustledger
          </Link>
          <button
            ref={menuButton}
            type="button"
            className="btn btn-small menu-button"
            aria-expanded={open}
            aria-controls="nav-body"
            onClick={() => setOpenOn(open ? null : pathname)}
          >
            Menu{waiting ? <span className="nav-badge">{waiting}</span> : null}
          </button>
        </div>
        <div className="nav-body" id="nav-body">
          {top}
          {groups.map((group) => (
            <div key={group.heading} className="nav">
              <div className="nav-heading">{group.heading}</div>
              {group.items.map((item) => {
                const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
                const href = item.keepsView && carriedQuery ? `${item.href}?${carriedQuery}` : item.href;
                return (
                  <Link
                    key={item.href}
                    href={href}
                    aria-current={current ? "page" : undefined}
                    prefetch={false}
                  >
                    {item.label}
                    {item.badge ? (
                      <span className="nav-badge" data-nav-badge={item.badge.count} title={item.badge.label}>
                        {item.badge.count}
                        <span className="sr-only"> ({item.badge.label})</span>
                      </span>
                    ) : null}
                  </Link>
                );
              })}
            </div>
          ))}
          <div className="sidebar-foot">{bottom}</div>
        </div>
      </nav>
    </div>
  );
}

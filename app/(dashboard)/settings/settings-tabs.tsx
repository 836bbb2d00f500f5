"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./settings.module.css";

export function SettingsTabs({ tabs }: { tabs: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav className={styles.tabs} aria-label="Settings">
      {tabs.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          className={styles.tab}
          aria-current={pathname.startsWith(t.href) ? "page" : undefined}
          prefetch={false}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";

/** A page outside the dashboard (not found, not allowed): the product's name, what happened, and the way back. */
export function PlainPage({ code, title, children }: { code: string; title: string; children: ReactNode }) {
  return (
    <main className="plain-page" data-plain-page={code}>
      <div className="plain-card">
        <Link href="/overview" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Trustledger
        </Link>
        <p className="plain-code">{code}</p>
        <h1>{title}</h1>
        <div className="plain-body">{children}</div>
        <p className="plain-actions">
          <Link className="btn btn-primary" href="/overview">
            Back to the overview
          </Link>
          <Link className="btn" href="/definitions">
            Definitions
          </Link>
        </p>
      </div>
    </main>
  );
}

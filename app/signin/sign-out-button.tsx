"use client";

import { signOut } from "next-auth/react";

/** Ends the session and returns to /signin. */
export function SignOutButton({ className }: { className?: string }) {
  return (
    <button type="button" className={className} onClick={() => signOut({ callbackUrl: "/signin" })}>
      Sign out
    </button>
  );
}

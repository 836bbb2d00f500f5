const KNOWN: Record<string, string> = {
  CredentialsSignin: "Wrong e-mail or password.",
  NotInvited:
    "No Trustledger account uses this e-mail address: ask an admin of your workspace to invite you.",
  AccessDenied:
    "No Trustledger account uses this e-mail address: ask an admin of your workspace to invite you.",
  SessionRequired: "Please sign in.",
  PasswordChangeRequired: "This was a one-time password: choose your own password to continue.",
  PasswordChanged: "Your password was changed and every session ended: sign in with the new password.",
};

// Messages the server composes itself (lib/auth/signin.ts); anything else in the URL is not echoed back.
const PASSED_THROUGH = [
  /^Too many attempts, try again in \d+ (seconds?|minutes?)$/,
  /^Your account belongs to no workspace: ask an admin to invite you$/,
  /^New password: [a-z0-9 ,]+$/,
  /^The server is busy: try again in a few seconds$/,
];

/** lib/auth/signin.ts's answer when a one-time password was right and a password of the user's own is now needed. */
export const PASSWORD_CHANGE_REQUIRED = "PasswordChangeRequired";

export function signInMessage(error: string | null | undefined): string | null {
  if (!error) return null;
  if (KNOWN[error]) return KNOWN[error];
  if (PASSED_THROUGH.some((re) => re.test(error))) return error;
  return "Sign-in failed. Please try again.";
}

/** Where to go after signing in: a path on this site only, /overview by default. */
export function safeCallbackPath(callbackUrl: string | null | undefined): string {
  if (!callbackUrl) return "/overview";
  try {
    const base = "http://trustledger.invalid";
    const url = new URL(callbackUrl, base);
    const sameSite =
      url.origin === base || (typeof window !== "undefined" && url.origin === window.location.origin);
    // A path that starts with "//" or "/\" (possible after "/./" or ".." are resolved) is read by
    // browsers as another host.
    if (
      !sameSite ||
      /^\/[/\\]/.test(url.pathname) ||
      url.pathname.startsWith("/signin") ||
      url.pathname.startsWith("/api/")
    )
      return "/overview";
    return `${url.pathname}${url.search}`;
  } catch {
    return "/overview";
  }
}

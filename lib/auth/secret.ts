import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "@/db/client";
import { log } from "@/lib/log";

let cached: string | undefined;

/**
 * NEXTAUTH_SECRET, or — so the demo runs with no configuration — a random secret generated once and kept
 * in the data directory (`auth-secret`, mode 0600). Every server of a multi-server deployment needs the same
 * NEXTAUTH_SECRET, so set it explicitly there.
 */
export function authSecret(): string {
  if (cached) return cached;
  const fromEnv = process.env.NEXTAUTH_SECRET;
  if (fromEnv) return (cached = fromEnv);
  const dir = dataDir();
  const file = path.join(dir, "auth-secret");
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    if (process.env.DATABASE_URL)
      log("warn", "NEXTAUTH_SECRET is not set: using a secret generated in the data directory", { file });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const stored = fs.readFileSync(file, "utf8").trim();
  if (stored.length < 32)
    throw new Error(
      `${file} holds no usable secret: delete it to generate a new one, or set NEXTAUTH_SECRET`,
    );
  return (cached = stored);
}

export function authBaseUrl(): string {
  return process.env.NEXTAUTH_URL ?? "http://localhost:3000";
}

/** next-auth prefixes its cookies with __Secure- on https; we read the session cookie ourselves, so decide it once here. */
export function secureCookies(): boolean {
  return authBaseUrl().startsWith("https://");
}

export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

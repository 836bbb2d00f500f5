import { decode } from "next-auth/jwt";
import { forbidden } from "@/lib/errors";
import { authBaseUrl, authSecret, sessionCookieName } from "./secret";

export const WORKSPACE_COOKIE = "tl_ws";

export type CookieGetter = (name: string) => string | undefined;

export function parseCookieHeader(header: string | null): CookieGetter {
  const jar = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!jar.has(name)) jar.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return (name) => jar.get(name);
}

/** The user id in a valid, unexpired next-auth session cookie, else null. */
export async function sessionUserId(cookie: CookieGetter): Promise<number | null> {
  const name = sessionCookieName();
  let raw = cookie(name);
  // next-auth splits a token over 4 KB into name.0, name.1, …
  if (!raw) {
    const chunks: string[] = [];
    for (let i = 0; cookie(`${name}.${i}`); i++) chunks.push(cookie(`${name}.${i}`) ?? "");
    raw = chunks.join("") || undefined;
  }
  if (!raw) return null;
  try {
    const token = await decode({ token: raw, secret: authSecret() });
    const id = Number(token?.uid);
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const v = source[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

/** The client's address as the reverse proxy reports it (first X-Forwarded-For hop, else X-Real-IP). */
export function clientIp(source: HeaderSource): string | null {
  const forwarded = header(source, "x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || header(source, "x-real-ip")?.trim() || null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated route handlers that change state: the browser must say the request
 * comes from our own pages (Sec-Fetch-Site) or from our origin (Origin). Server actions get the same check from Next.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") throw forbidden("cross-site request refused");
  const origin = req.headers.get("origin");
  if (!origin) {
    if (site === "same-origin") return;
    throw forbidden("cross-site request refused: no Origin header");
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden("cross-site request refused: bad Origin header");
  }
  const allowed = new Set([new URL(authBaseUrl()).host]);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) allowed.add(host);
  if (!allowed.has(originHost)) throw forbidden("cross-site request refused");
}

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

export interface SessionToken {
  userId: number;
  /** The account's session version when the cookie was issued (0 in cookies from before versions existed). */
  version: number;
}

/** The user id and session version in a valid, unexpired next-auth session cookie, else null. */
export async function sessionToken(cookie: CookieGetter): Promise<SessionToken | null> {
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
    const version = Number(token?.sv ?? 0);
    return Number.isSafeInteger(id) && id > 0 && Number.isSafeInteger(version)
      ? { userId: id, version }
      : null;
  } catch {
    return null;
  }
}

/** The user id in a valid, unexpired next-auth session cookie, else null (the version is checked by loadMember). */
export async function sessionUserId(cookie: CookieGetter): Promise<number | null> {
  return (await sessionToken(cookie))?.userId ?? null;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const v = source[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

/**
 * How many reverse proxies in front of the app append to X-Forwarded-For (TL_TRUSTED_PROXIES, a hop count).
 * Unset or 0: the headers are the client's own words and are ignored.
 */
export function trustedProxyHops(): number {
  const raw = process.env.TL_TRUSTED_PROXIES?.trim();
  if (!raw) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new Error(`TL_TRUSTED_PROXIES: expected a number of proxy hops from 0 to 10, got '${raw}'`);
  return n;
}

/**
 * The client's address, only as far as a configured proxy vouches for it: with N trusted hops, the N-th
 * X-Forwarded-For entry from the right (what the outermost trusted proxy saw); entries further left are whatever
 * the client claimed. Null without TL_TRUSTED_PROXIES (Next's route handlers do not expose the socket's address).
 */
export function clientIp(source: HeaderSource): string | null {
  const address = vouchedEntry(source, "x-forwarded-for");
  return address && address.length <= 64 ? address : null;
}

/** Of a header the proxies append to, the entry the outermost trusted hop wrote; null without trusted hops. */
function vouchedEntry(source: HeaderSource, name: string): string | null {
  const hops = trustedProxyHops();
  if (hops === 0) return null;
  const chain = (header(source, name) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return chain[Math.max(0, chain.length - hops)] ?? null;
}

/**
 * The host the client asked for, as a trusted proxy reports it in X-Forwarded-Host (the entry of the outermost
 * trusted hop, as in `clientIp`). Null without TL_TRUSTED_PROXIES: then the header is the client's own word.
 */
const forwardedHost = (source: HeaderSource): string | null => vouchedEntry(source, "x-forwarded-host");

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
  const host = forwardedHost(req.headers) ?? req.headers.get("host");
  if (host) allowed.add(host);
  if (!allowed.has(originHost)) throw forbidden("cross-site request refused");
}

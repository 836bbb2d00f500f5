import "server-only";
import { NextResponse } from "next/server";
import { AppError, badRequest, type ErrorCode } from "@/lib/errors";
import { quoted, unstorableText } from "@/lib/events/text";
import { errorFields, log } from "@/lib/log";
import { DatabaseInUseError } from "@/lib/server/lock";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

/**
 * An AppError, also one from another copy of lib/errors: the app's database handle is made by the
 * instrumentation bundle, so errors its objects throw (the read gate's 503s) fail `instanceof` here.
 */
function isAppError(e: unknown): e is AppError {
  if (e instanceof AppError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && e.name === "AppError" && typeof code === "string" && code in STATUS;
}

/** The HTTP status of an AppError (undefined for any other error): what the API would answer. */
export const appErrorStatus = (e: unknown): number | undefined =>
  isAppError(e) ? STATUS[e.code] : undefined;

export function errorResponse(e: unknown): NextResponse {
  if (isAppError(e)) {
    const headers: Record<string, string> = {};
    if (e.code === "rate_limited" && typeof e.details?.retryAfter === "number")
      headers["Retry-After"] = String(e.details.retryAfter);
    return NextResponse.json({ error: e.code, message: e.message }, { status: STATUS[e.code], headers });
  }
  if (e instanceof DatabaseInUseError)
    return NextResponse.json({ error: "unavailable", message: e.message }, { status: 503 });
  log("error", "unhandled error", errorFields(e));
  return NextResponse.json({ error: "internal", message: "internal error" }, { status: 500 });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/** The route's parameters (`[id]` → ["id", "cus_1"]), none for a route without any. */
async function routeParams(ctx: unknown): Promise<Array<[string, unknown]>> {
  if (!ctx || typeof ctx !== "object" || !("params" in ctx)) return [];
  const given = await Promise.resolve((ctx as { params: unknown }).params);
  return given && typeof given === "object" ? Object.entries(given) : [];
}

/**
 * The request's path with each route parameter put back as its name (`/api/v1/subjects/[id]/consent-record`),
 * so a log line never carries a subject id or other value from the path.
 */
async function routeTemplate(req: Request, ctx: unknown): Promise<string> {
  const path = new URL(req.url).pathname;
  const given = await routeParams(ctx).catch(() => []);
  if (!given.length) return path;
  const names = new Map<string, string>();
  for (const [name, value] of given)
    for (const v of [value].flat()) if (typeof v === "string") names.set(v, name);
  return path
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return "[?]";
      }
      const name = names.get(decoded);
      return name ? `[${name}]` : segment;
    })
    .join("/");
}

/**
 * A query parameter or path parameter holding text PostgreSQL cannot store (a NUL, a lone surrogate)
 * is a 400 naming it, before any handler passes it to a query (where it would fail as a 500); so is a
 * query parameter given twice.
 */
async function checkParameters(req: Request, ctx: unknown): Promise<void> {
  for (const [name, value] of await routeParams(ctx)) {
    const problem = [value].flat().map(String).map(unstorableText).find(Boolean);
    if (problem) throw badRequest(`${quoted(name)}: ${problem}`);
  }
  const seen = new Set<string>();
  for (const [name, value] of new URL(req.url).searchParams) {
    // No route reads a parameter twice: `from=…&from=…` would silently take one of them.
    if (seen.has(name)) throw badRequest(`${quoted(name)}: given more than once; give it once`);
    seen.add(name);
    const nameProblem = unstorableText(name);
    if (nameProblem) throw badRequest(`query parameter ${quoted(name)}: its name ${nameProblem}`);
    const problem = unstorableText(value);
    if (problem) throw badRequest(`${quoted(name)}: ${problem}`);
  }
}

/**
 * API answers are for the caller who asked (a workspace's consent records, audit log, users, metrics):
 * neither the browser nor a proxy keeps a copy, unless the route says otherwise.
 */
function notStored(res: Response): Response {
  if (!res.headers.has("cache-control")) res.headers.set("Cache-Control", "no-store");
  return res;
}

/**
 * Wraps a route handler: maps errors to statuses by one table, marks every answer `no-store`, logs
 * one line per request (by route template).
 */
export function apiRoute<C>(handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    const started = performance.now();
    let status = 500;
    try {
      await checkParameters(req, ctx);
      const res = notStored(await handler(req, ctx));
      status = res.status;
      return res;
    } catch (e) {
      const res = notStored(errorResponse(e));
      status = res.status;
      return res;
    } finally {
      log("info", "request", {
        method: req.method,
        route: await routeTemplate(req, ctx),
        status,
        duration_ms: Math.round(performance.now() - started),
      });
    }
  };
}

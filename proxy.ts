import { NextResponse, type NextRequest } from "next/server";
import { quoted } from "@/lib/events/text";

/**
 * An API path segment whose percent-encoding is not UTF-8 (`/api/v1/insights/%FF`, an encoded lone
 * surrogate `%ED%A0%80`) cannot be decoded into a route parameter: Next would answer with a plain-text
 * 500 before the route's handler (and its error table) runs. It is a 400 here, as the API words it.
 */
export function proxy(req: NextRequest): NextResponse {
  for (const segment of new URL(req.url).pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return NextResponse.json(
        { error: "bad_request", message: `path: ${quoted(segment)} is not percent-encoded UTF-8` },
        { status: 400, headers: { "Cache-Control": "no-store" } },
      );
    }
  }
  return NextResponse.next();
}

/**
 * Only the API routes with a path parameter, and never ingestion: with a proxy in front of a route, Next clones and
 * buffers the request body (up to `proxyClientMaxBodySize`, 10 MB, then truncates it), which would cost every event
 * batch a copy and cut the 50 MiB upload short. `test/api/proxy.test.ts` checks the list against the routes.
 */
export const config = {
  matcher: [
    "/api/settings/keys/:path+",
    "/api/settings/users/:path+",
    "/api/v1/campaigns/:path+",
    "/api/v1/insights/:path+",
    "/api/v1/metrics/:path+",
    "/api/v1/subjects/:path+",
  ],
};

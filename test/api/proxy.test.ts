import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { expect, test } from "vitest";
import { config, proxy } from "@/proxy";

const call = (path: string) => proxy(new NextRequest(`http://localhost:3000${path}`));

test.each([
  ["/api/v1/metrics/%ED%A0%80", "path: %ED%A0%80 is not percent-encoded UTF-8"],
  ["/api/v1/insights/%FF", "path: %FF is not percent-encoded UTF-8"],
  ["/api/v1/subjects/cus%C3/consent-record", "path: cus%C3 is not percent-encoded UTF-8"],
])(
  "the API path %s, not UTF-8, is a 400 in the API's words before Next decodes it",
  async (path, message) => {
    const res = call(path);
    expect({ status: res.status, body: await res.json(), cache: res.headers.get("cache-control") }).toEqual({
      status: 400,
      body: { error: "bad_request", message },
      cache: "no-store",
    });
  },
);

test.each([
  "/api/v1/metrics/opt-in",
  "/api/v1/subjects/%E2%82%AC%2F1/consent-record",
  "/api/v1/insights/%00",
])("the API path %s decodes and goes on to its route", (path) => {
  expect(call(path).headers.get("x-middleware-next")).toBe("1");
});

/** The API route directories under `dir` whose path has a parameter (`[id]`), as URL paths up to the first one. */
function parameterRoutes(dir: string, url: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (!d.isDirectory()) return [];
    if (d.name.startsWith("[")) return [url];
    return parameterRoutes(path.join(dir, d.name), `${url}/${d.name}`);
  });
}

test("the proxy sees every API route with a path parameter, and never ingestion or sign-in (their bodies)", () => {
  const prefixes = config.matcher.map((m) => m.replace(/\/:path\+$/, ""));
  const routes = [...new Set(parameterRoutes(path.join(process.cwd(), "app/api"), "/api"))].filter(
    (r) => r !== "/api/auth",
  );
  expect(routes.length).toBeGreaterThan(4);
  for (const route of routes) expect(prefixes, route).toContain(route);
  for (const unproxied of [
    "/api/v1/events",
    "/api/v1/events/upload",
    "/api/v1/signals",
    "/api/auth",
    "/api/health",
  ])
    expect(prefixes.some((p) => unproxied === p || unproxied.startsWith(`${p}/`))).toBe(false);
});

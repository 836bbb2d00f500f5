import { expect, test } from "vitest";
import { safeCallbackPath } from "@/app/signin/messages";

test.each([
  ["/purposes?from=2026-01-01&to=2026-04-01", "/purposes?from=2026-01-01&to=2026-04-01"],
  ["/campaigns/abc", "/campaigns/abc"],
  ["http://trustledger.invalid/churn", "/churn"],
  [null, "/overview"],
  ["", "/overview"],
  ["/signin?error=x", "/overview"],
  ["/api/v1/metrics/opt-in", "/overview"],
  ["https://evil.test/phish", "/overview"],
  ["//evil.test", "/overview"],
])("a callback %j goes to %j", (callbackUrl, expected) => {
  expect(safeCallbackPath(callbackUrl)).toBe(expected);
});

test.each(["/.//evil.test", "/a/..//evil.test", "/.//evil.test/phish", "/./\\evil.test", "/%2E//evil.test"])(
  "a callback %j that resolves to a path starting with two slashes never leaves the site",
  (callbackUrl) => {
    const path = safeCallbackPath(callbackUrl);
    expect(path).toBe("/overview");
    expect(path).toMatch(/^\/(?![/\\])/);
  },
);

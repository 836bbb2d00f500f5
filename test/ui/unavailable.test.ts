import { expect, test } from "vitest";
import { isUnavailable, unavailable } from "@/app/_components/unavailable";
import { AppError } from "@/lib/errors";
import { appErrorStatus } from "@/lib/http";
import { ReadStopped } from "@/lib/server/reads";

test("a prefetched read stopped at its budget reaches the browser as the API's 503 and message, not redacted", () => {
  const stopped = new ReadStopped(
    "budget",
    "the read took longer than its budget of 5000 ms (TL_READ_BUDGET_MS)",
  );
  const status = appErrorStatus(stopped);
  expect(status).toBe(503);
  const answer = JSON.parse(JSON.stringify(unavailable(status!, stopped.message))) as unknown;
  expect(isUnavailable(answer)).toBe(true);
  expect(answer).toEqual({ tl_unavailable: { status: 503, message: stopped.message } });
});

test.each([
  ["a bad parameter", new AppError("bad_request", "from: not a date"), 400],
  ["a missing permission", new AppError("forbidden", "needs metrics:read"), 403],
  ["an unexpected error (left to fail as it does)", new Error("boom"), undefined],
] as const)("%s: the status the API would answer", (_case, error, status) => {
  expect(appErrorStatus(error)).toBe(status);
});

test("a metric answer is never taken for a failed read", () => {
  expect(isUnavailable({ metric: "opt-in", purposes: [], as_of: "2026-12-02T13:00:00Z" })).toBe(false);
  expect(isUnavailable(null)).toBe(false);
  expect(isUnavailable([])).toBe(false);
});

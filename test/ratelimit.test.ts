import { expect, onTestFinished, test } from "vitest";
import { AppError } from "@/lib/errors";
import { ConcurrencyCap, FailureBackoff, limitIngest, TokenBucket } from "@/lib/ratelimit";
import { restoreEnv } from "./helpers/env";

test("a token bucket allows its burst, then asks to wait until a token refills", () => {
  const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 0.5 });
  const t = 1_000_000;
  expect([bucket.take("k", 1, t), bucket.take("k", 1, t), bucket.take("k", 1, t)]).toEqual([0, 0, 0]);
  expect(bucket.take("k", 1, t)).toBe(2);
  expect(bucket.take("other", 1, t)).toBe(0);
  expect(bucket.take("k", 1, t + 2000)).toBe(0);
});

test("back-off: free failures, then a wait that doubles up to its cap; waiting attempts do not lengthen it; a success clears", () => {
  const backoff = new FailureBackoff({ freeFailures: 2, baseMs: 1000, maxMs: 4000, forgetMs: 60_000 });
  const t = 5_000_000;
  backoff.fail("a", t);
  backoff.fail("a", t);
  expect(backoff.waitFor("a", t)).toBe(0);
  backoff.fail("a", t);
  expect(backoff.waitFor("a", t + 200)).toBe(800);
  backoff.fail("a", t);
  expect(backoff.waitFor("a", t)).toBe(2000);
  for (let i = 0; i < 10; i++) backoff.fail("a", t);
  expect(backoff.waitFor("a", t)).toBe(4000);
  expect(backoff.waitFor("a", t + 4000)).toBe(0);
  expect(backoff.waitFor("b", t)).toBe(0);
  backoff.succeed("a");
  expect(backoff.waitFor("a", t)).toBe(0);
  backoff.fail("c", t);
  backoff.fail("c", t);
  backoff.fail("c", t);
  expect(backoff.waitFor("c", t + 60_000)).toBe(0);
});

test("a concurrency cap runs at most its limit at once, queues up to its queue, refuses beyond", async () => {
  const cap = new ConcurrencyCap(2, 3);
  let running = 0;
  let peak = 0;
  const task = async () => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return "done";
  };
  const results = await Promise.all(Array.from({ length: 8 }, () => cap.run(task)));
  expect(peak).toBe(2);
  expect(cap.peak).toBe(2);
  expect(results.filter((r) => r?.value === "done")).toHaveLength(5);
  expect(results.filter((r) => r === null)).toHaveLength(3);
  expect(await cap.run(task)).toEqual({ value: "done" });
});

test("ingestion beyond a key's burst is refused with rate_limited and a Retry-After in seconds", () => {
  const saved = { rate: process.env.TL_INGEST_RATE, burst: process.env.TL_INGEST_BURST };
  onTestFinished(() => {
    restoreEnv("TL_INGEST_RATE", saved.rate);
    restoreEnv("TL_INGEST_BURST", saved.burst);
  });
  process.env.TL_INGEST_RATE = "1";
  process.env.TL_INGEST_BURST = "3";
  for (let i = 0; i < 3; i++) limitIngest(424242);
  let error: unknown;
  try {
    limitIngest(424242);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("rate_limited");
  expect((error as AppError).details?.retryAfter).toBe(1);
  expect(() => limitIngest(434343)).not.toThrow();
});

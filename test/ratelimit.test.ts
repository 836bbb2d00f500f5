import { expect, onTestFinished, test } from "vitest";
import { AppError } from "@/lib/errors";
import { FailureLockout, limitIngest, TokenBucket } from "@/lib/ratelimit";
import { restoreEnv } from "./helpers/env";

test("a token bucket allows its burst, then asks to wait until a token refills", () => {
  const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 0.5 });
  const t = 1_000_000;
  expect([bucket.take("k", 1, t), bucket.take("k", 1, t), bucket.take("k", 1, t)]).toEqual([0, 0, 0]);
  expect(bucket.take("k", 1, t)).toBe(2);
  expect(bucket.take("other", 1, t)).toBe(0);
  expect(bucket.take("k", 1, t + 2000)).toBe(0);
});

test("a key is locked after the maximum of failures in a row, and a success in between starts the count again", () => {
  const lock = new FailureLockout({ maxFailures: 3, lockMs: 60_000 });
  const t = 5_000_000;
  lock.fail("a", t);
  lock.fail("a", t);
  lock.succeed("a");
  lock.fail("a", t);
  lock.fail("a", t);
  expect(lock.lockedFor("a", t)).toBe(0);
  lock.fail("a", t);
  expect(lock.lockedFor("a", t + 1000)).toBe(59_000);
  expect(lock.lockedFor("a", t + 60_000)).toBe(0);
  expect(lock.lockedFor("b", t)).toBe(0);
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

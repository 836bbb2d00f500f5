import { AppError } from "@/lib/errors";

/*
 * In-memory limits: correct for one server process (the embedded-database deployment is always one).
 * Several app servers behind a load balancer would each keep their own counts; move these to a shared store then.
 */

export interface BucketOptions {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Sustained requests per second. */
  refillPerSecond: number;
  /** Buckets kept before the least recently used are dropped. */
  maxKeys?: number;
}

/** Token bucket per key: `take(key)` returns 0 when allowed, else the seconds to wait. */
export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly opts: BucketOptions) {}

  take(key: string, cost = 1, now = Date.now()): number {
    const { capacity, refillPerSecond } = this.opts;
    const prev = this.buckets.get(key);
    const tokens = prev ? Math.min(capacity, prev.tokens + ((now - prev.at) / 1000) * refillPerSecond) : capacity;
    this.buckets.delete(key);
    if (tokens >= cost) {
      this.buckets.set(key, { tokens: tokens - cost, at: now });
      this.evict();
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    this.evict();
    return Math.max(1, Math.ceil((cost - tokens) / refillPerSecond));
  }

  private evict(): void {
    const max = this.opts.maxKeys ?? 100_000;
    while (this.buckets.size > max) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

export interface LockoutOptions {
  /** Consecutive failures that lock the key. */
  maxFailures: number;
  /** How long a lock lasts, and how long a failure is remembered. */
  lockMs: number;
}

/** Locks a key (an e-mail, an IP) after `maxFailures` failures in a row; a success clears it. */
export class FailureLockout {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(private readonly opts: LockoutOptions) {}

  /** Milliseconds until the key may try again; 0 when not locked. */
  lockedFor(key: string, now = Date.now()): number {
    const f = this.failures.get(key);
    if (!f) return 0;
    const left = f.last + this.opts.lockMs - now;
    if (left <= 0) {
      this.failures.delete(key);
      return 0;
    }
    return f.count >= this.opts.maxFailures ? left : 0;
  }

  fail(key: string, now = Date.now()): void {
    const f = this.failures.get(key);
    const fresh = !f || now - f.last >= this.opts.lockMs;
    this.failures.set(key, { count: fresh ? 1 : f.count + 1, last: now });
    if (this.failures.size > 100_000) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  reset(): void {
    this.failures.clear();
  }
}

export function rateLimited(message: string, retryAfterSeconds: number): AppError {
  return new AppError("rate_limited", message, { retryAfter: retryAfterSeconds });
}

// Per API key: 100 ingestion requests/s sustained (up to 500,000 events/s), bursts of 200; TL_INGEST_RATE and
// TL_INGEST_BURST change them. Generous on purpose: the limit stops a runaway sender, not normal batching.
let ingestBuckets: { config: string; bucket: TokenBucket } | undefined;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** 429 with Retry-After when an API key sends ingestion requests faster than its bucket refills. */
export function limitIngest(keyId: number): void {
  const rate = positive(process.env.TL_INGEST_RATE, 100);
  const capacity = positive(process.env.TL_INGEST_BURST, rate * 2);
  const config = `${rate}/${capacity}`;
  if (ingestBuckets?.config !== config) ingestBuckets = { config, bucket: new TokenBucket({ capacity, refillPerSecond: rate }) };
  const wait = ingestBuckets.bucket.take(`ingest:${keyId}`);
  if (wait > 0) throw rateLimited(`too many ingestion requests for this API key: retry in ${wait} s`, wait);
}

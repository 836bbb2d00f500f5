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
    const tokens = prev
      ? Math.min(capacity, prev.tokens + ((now - prev.at) / 1000) * refillPerSecond)
      : capacity;
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

export interface BackoffOptions {
  /** Failures in a row that cost nothing. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  baseMs: number;
  /** The longest wait: a back-off never becomes a lock an attacker can hold for longer than this. */
  maxMs: number;
  /** A key's failures are forgotten this long after its last one. */
  forgetMs: number;
}

/**
 * Exponential back-off per key (an account, an address): after `freeFailures` failures in a row, the key waits
 * baseMs, 2·baseMs, 4·baseMs, … up to maxMs after its last failure. A success clears the key. Attempts made while
 * waiting are refused without counting, so hammering a key does not make its wait longer.
 */
export class FailureBackoff {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(readonly opts: BackoffOptions) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitFor(key: string, now = Date.now()): number {
    const f = this.failures.get(key);
    if (!f) return 0;
    if (now - f.last >= this.opts.forgetMs) {
      this.failures.delete(key);
      return 0;
    }
    return Math.max(0, f.last + this.delayAfter(f.count) - now);
  }

  delayAfter(count: number): number {
    const past = count - this.opts.freeFailures;
    return past <= 0 ? 0 : Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** Math.min(past - 1, 40));
  }

  fail(key: string, now = Date.now()): void {
    const f = this.failures.get(key);
    const fresh = !f || now - f.last >= this.opts.forgetMs;
    this.failures.delete(key);
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

/** At most `limit` tasks at once; up to `queue` more wait their turn, any further one is refused at once. */
export class ConcurrencyCap {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most tasks seen running at once (tests and the health of the cap). */
  peak = 0;

  constructor(
    readonly limit: number,
    readonly queue: number,
  ) {}

  /** Runs `task` when a slot is free; null (without running it) when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.queue) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return { value: await task() };
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
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
  if (ingestBuckets?.config !== config)
    ingestBuckets = { config, bucket: new TokenBucket({ capacity, refillPerSecond: rate }) };
  const wait = ingestBuckets.bucket.take(`ingest:${keyId}`);
  if (wait > 0) throw rateLimited(`too many ingestion requests for this API key: retry in ${wait} s`, wait);
}

import { FailureBackoff } from "@/lib/ratelimit";

/*
 * Sign-in throttling, in memory (one app process; see lib/ratelimit.ts). Three keys, none of which is a lock:
 * - the account at one address: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes;
 * - the address, whatever the account (credential stuffing): 20 free failures, then the same curve;
 * - the account from anywhere: 10 free failures, then 1 s … up to 30 seconds. It is short on purpose: an attacker
 *   who fails against the account from many addresses can make its owner wait half a minute, never 15 minutes.
 *   An address the account signed in from successfully before is exempt from it altogether.
 * The address is only known when TL_TRUSTED_PROXIES says which X-Forwarded-For entry to believe; without it only
 * the account key applies.
 */
const MINUTE = 60_000;
export const PAIR_BACKOFF = { freeFailures: 5, baseMs: 1000, maxMs: 15 * MINUTE, forgetMs: 60 * MINUTE };
export const ADDRESS_BACKOFF = { freeFailures: 20, baseMs: 1000, maxMs: 15 * MINUTE, forgetMs: 60 * MINUTE };
export const ACCOUNT_BACKOFF = { freeFailures: 10, baseMs: 1000, maxMs: 30_000, forgetMs: 15 * MINUTE };
/** Addresses remembered per account as "signed in from here before". */
const KNOWN_ADDRESSES_PER_ACCOUNT = 8;

export class SignInThrottle {
  readonly pair = new FailureBackoff(PAIR_BACKOFF);
  readonly address = new FailureBackoff(ADDRESS_BACKOFF);
  readonly account = new FailureBackoff(ACCOUNT_BACKOFF);
  private readonly known = new Map<string, string[]>();

  private isKnown(email: string, ip: string | null): boolean {
    return !!ip && (this.known.get(email)?.includes(ip) ?? false);
  }

  /** Milliseconds this attempt must wait before it is even checked; 0 when it may go ahead. */
  waitFor(email: string, ip: string | null, now = Date.now()): number {
    const waits = [this.isKnown(email, ip) ? 0 : this.account.waitFor(email, now)];
    if (ip) waits.push(this.pair.waitFor(`${email}|${ip}`, now), this.address.waitFor(ip, now));
    return Math.max(...waits);
  }

  fail(email: string, ip: string | null, now = Date.now()): void {
    this.account.fail(email, now);
    if (ip) {
      this.pair.fail(`${email}|${ip}`, now);
      this.address.fail(ip, now);
    }
  }

  succeed(email: string, ip: string | null): void {
    this.account.succeed(email);
    if (!ip) return;
    this.pair.succeed(`${email}|${ip}`);
    this.address.succeed(ip);
    const known = (this.known.get(email) ?? []).filter((a) => a !== ip);
    this.known.delete(email);
    this.known.set(email, [ip, ...known].slice(0, KNOWN_ADDRESSES_PER_ACCOUNT));
    if (this.known.size > 100_000) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  reset(): void {
    this.pair.reset();
    this.address.reset();
    this.account.reset();
    this.known.clear();
  }
}

export const signInThrottle = new SignInThrottle();

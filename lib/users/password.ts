import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { AppError } from "@/lib/errors";
import { ConcurrencyCap } from "@/lib/ratelimit";

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. `Algorithm` is a const enum (2 = Argon2id).
const ARGON2ID = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Password hashing is the one CPU-bound step a stranger can trigger (20 parallel sign-ins took 6.6 s of argon2 on
 * two cores). One hash runs at a time, 16 more wait; a flood beyond that is refused at once instead of starving
 * every other request.
 */
export const HASH_CONCURRENCY = 1;
export const HASH_QUEUE = 16;
export const hashingCap = new ConcurrencyCap(HASH_CONCURRENCY, HASH_QUEUE);

export const hashingBusy = () =>
  new AppError("rate_limited", "the server is busy checking other passwords: try again in a few seconds", {
    retryAfter: 5,
  });

async function capped<T>(task: () => Promise<T>): Promise<T> {
  const done = await hashingCap.run(task);
  if (!done) throw hashingBusy();
  return done.value;
}

export function hashPassword(password: string): Promise<string> {
  return capped(() => hash(password, ARGON2ID));
}

export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  return capped(async () => {
    // Spend the same time on an unknown user (or one without a password) as on a wrong password.
    if (!stored) {
      await hash(password, ARGON2ID);
      return false;
    }
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  });
}

/** A one-time password to hand to a new user: 20 characters from an unambiguous alphabet (~114 bits). */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(40);
  let out = "";
  // 256 is not a multiple of 56: drop the biased top values.
  for (const b of bytes) if (b < 224 && out.length < 20) out += alphabet[b % 56];
  return out.length === 20 ? out : generatePassword();
}

/** One-time passwords are random (~114 bits): a SHA-256 is enough to store them, like API keys. */
export function oneTimeHash(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

/** A new password a user chooses: long enough, not absurdly long, and not the one it replaces. */
export function checkNewPassword(password: unknown, previous?: string): string {
  if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("bad_request", `new_password: at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new AppError("bad_request", `new_password: at most ${MAX_PASSWORD_LENGTH} characters`);
  if (previous !== undefined && password === previous)
    throw new AppError("bad_request", "new_password: choose a password other than the current one");
  return password;
}

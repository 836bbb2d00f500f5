import { randomBytes } from "node:crypto";
import { hash, verify, type Algorithm } from "@node-rs/argon2";

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. `Algorithm` is a const enum (2 = Argon2id).
const ARGON2ID = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
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

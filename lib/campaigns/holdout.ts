import "server-only";
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";

/** 2^48: the first 12 hex digits of the hash, read as a number, divided by this, are uniform in [0, 1). */
const SPAN = 2n ** 48n;

/**
 * Where a subject falls in [0, 100): SHA-256 of the campaign id followed by the subject (UTF-8), its first
 * 48 bits as an unsigned number, scaled to 100. Below the holdout percentage means held out.
 */
export function holdoutBucket(campaignId: string, subject: string): number {
  return (Number(first48Bits(campaignId, subject)) / Number(SPAN)) * 100;
}

function first48Bits(campaignId: string, subject: string): bigint {
  return BigInt(
    `0x${createHash("sha256")
      .update(campaignId + subject, "utf8")
      .digest("hex")
      .slice(0, 12)}`,
  );
}

/** Integer arithmetic, so the database and `holdoutBucket` agree exactly on the boundary. */
export function isHeldOut(campaignId: string, subject: string, percent: number): boolean {
  return first48Bits(campaignId, subject) * 100n < BigInt(percent) * SPAN;
}

/** The same rule in SQL, for the set-based freeze at launch. `subject` is a column expression. */
export function heldOutSql(campaignId: string, subject: SQL, percent: number): SQL {
  return sql`(('x' || substr(encode(sha256(convert_to(${campaignId} || ${subject}, 'UTF8')), 'hex'), 1, 12))::bit(48)::bigint * 100
    < ${percent}::bigint * ${SPAN.toString()}::bigint)`;
}

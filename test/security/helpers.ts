import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { AppError } from "@/lib/errors";

/** The error code of a lib call ("ok" when it succeeded). */
export const outcome = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e)),
  );

export const newEmail = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.test`;

/** A documentation-range address (RFC 5737) of its own per call, so tests never share a throttle key. */
export const testAddress = () =>
  `192.0.2.${1 + ((randomBytes(1)[0] ?? 0) % 250)}-${randomBytes(3).toString("hex")}`;

export function expectSameShape(a: Record<string, unknown>, b: Record<string, unknown>): void {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  expect(Object.values(a).map((v) => typeof v)).toEqual(Object.values(b).map((v) => typeof v));
}

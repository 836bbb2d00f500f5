import { expect, test } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/users/password";

test("passwords are stored as argon2id hashes that verify only the same password", async () => {
  const hash = await hashPassword("correct horse battery staple");
  expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(hash).not.toContain("correct horse");
  expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
  expect(await verifyPassword(hash, "correct horse battery stapler")).toBe(false);
  expect(await hashPassword("correct horse battery staple")).not.toBe(hash);
});

test("a missing or malformed stored hash never verifies", async () => {
  expect(await verifyPassword(null, "anything")).toBe(false);
  expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
});

test("generated one-time passwords are 20 unambiguous characters and differ each time", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const p = generatePassword();
    expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
    seen.add(p);
  }
  expect(seen.size).toBe(200);
});

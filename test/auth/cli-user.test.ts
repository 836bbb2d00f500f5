import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-cli-user-"));
const env = { ...process.env, TL_DATA_DIR: dir, DATABASE_URL: "", TL_LOG_LEVEL: "silent" };
const tl = (...args: string[]) => spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/tl.ts", ...args], { env, encoding: "utf8" });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("tl user create prints the id, e-mail and a one-time password; a bad role exits non-zero with a reason", () => {
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/tl.ts", "workspace", "create", "acme"], { env });
  const created = tl("user", "create", "--workspace", "acme", "--email", "Ops@Acme.test", "--role", "privacy");
  expect(created.status, created.stderr).toBe(0);
  const out = JSON.parse(created.stdout) as Record<string, unknown>;
  expect(Object.keys(out)).toEqual(["id", "email", "password"]);
  expect(out.email).toBe("ops@acme.test");
  expect(out.password).toMatch(/^[A-Za-z0-9]{20}$/);

  const again = tl("user", "create", "--workspace", "acme", "--email", "ops@acme.test", "--role", "admin");
  expect(again.status).not.toBe(0);
  expect(again.stderr).toMatch(/already a member/);

  const bad = tl("user", "create", "--workspace", "acme", "--email", "x@acme.test", "--role", "owner");
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim()).toBe("tl: --role: expected admin, privacy, marketer, executive, got 'owner'");
}, 120_000);

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-cli-user-"));
const env = { ...process.env, TL_DATA_DIR: dir, DATABASE_URL: "", TL_LOG_LEVEL: "silent" };
const tl = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/tl.ts", ...args],
    {
      env,
      encoding: "utf8",
    },
  );

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("tl user create prints an invitation with a one-time password; inviting again renews it; a bad role exits non-zero", () => {
  execFileSync(
    process.execPath,
    [
      "node_modules/tsx/dist/cli.mjs",
      "--conditions=react-server",
      "scripts/tl.ts",
      "workspace",
      "create",
      "acme",
    ],
    { env },
  );
  const created = tl(
    "user",
    "create",
    "--workspace",
    "acme",
    "--email",
    "Ops@Acme.test",
    "--role",
    "privacy",
  );
  expect(created.status, created.stderr).toBe(0);
  const out = JSON.parse(created.stdout) as Record<string, unknown>;
  expect(Object.keys(out)).toEqual(["email", "role", "status", "one_time_password", "expires_at"]);
  expect([out.email, out.role, out.status]).toEqual(["ops@acme.test", "privacy", "pending"]);
  expect(out.one_time_password).toMatch(/^[A-Za-z0-9]{20}$/);

  const again = tl("user", "create", "--workspace", "acme", "--email", "ops@acme.test", "--role", "admin");
  expect(again.status, again.stderr).toBe(0);
  const renewed = JSON.parse(again.stdout) as Record<string, unknown>;
  expect(renewed.role).toBe("admin");
  expect(renewed.one_time_password).not.toBe(out.one_time_password);

  const bad = tl("user", "create", "--workspace", "acme", "--email", "x@acme.test", "--role", "owner");
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim()).toBe("tl: --role: expected admin, privacy, marketer, executive, got 'owner'");
}, 600_000);

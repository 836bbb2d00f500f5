import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = process.cwd();
const NEXT_BIN = "node_modules/next/dist/bin/next";

function newestMtime(p: string): number {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/**
 * Runs `next build` when there is no build or a source is newer than it; true when it built. `forTests`: the test
 * command's build (`npm test` has type-checked the same code with `tsc --noEmit` before it, and a CI checkout is
 * thrown away after), so `next build` skips its own type check and its file-system cache (about 40 s of CI).
 */
export function ensureBuilt(log: (line: string) => void = console.log, forTests = false): boolean {
  const buildId = path.join(root, process.env.TL_DIST_DIR || ".next", "BUILD_ID");
  const sources = [
    "app",
    "lib",
    "db",
    "next.config.js",
    "package.json",
    "instrumentation.ts",
    "proxy.ts",
    "middleware.ts",
  ]
    .map((p) => path.join(root, p))
    .filter((p) => fs.existsSync(p));
  const stale = !fs.existsSync(buildId) || sources.some((p) => newestMtime(p) > fs.statSync(buildId).mtimeMs);
  if (!stale) return false;
  log("building the app (next build)…");
  const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...(forTests ? { TL_TEST_BUILD: "1" } : {}) },
  });
  if (build.status !== 0) throw new Error(`next build failed with exit code ${build.status}`);
  return true;
}

/** Starts `next start` as one process (so SIGTERM reaches the server itself) with graceful shutdown on. */
export function startApp(
  port: number,
  env: Record<string, string> = {},
  stdio: "inherit" | "pipe" = "inherit",
): ChildProcess {
  const url = `http://localhost:${port}`;
  return spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port)], {
    stdio,
    env: {
      ...process.env,
      NEXT_MANUAL_SIG_HANDLE: "true",
      NEXT_TELEMETRY_DISABLED: "1",
      TL_PUBLIC_URL: url,
      NEXTAUTH_URL: url,
      ...env,
    },
  });
}

export async function waitForHealth(baseUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
      last = `status ${res.status}: ${await res.text()}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the app at ${baseUrl} did not become healthy in ${timeoutMs} ms (${last})`);
}

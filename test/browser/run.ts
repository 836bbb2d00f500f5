/**
 * Browser tests: builds the app, seeds a fresh embedded database, starts the app, drives Debian's
 * Chromium with playwright-core through every `test/browser/*.browser.ts` module, then stops the app
 * with SIGTERM and checks that it shuts down cleanly. Prints "browser: N passed, N failed".
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { ensureBuilt, startApp, waitForHealth } from "../../scripts/lib/app";
import { CHROMIUM, launchChromium } from "../../scripts/lib/browser";
const port = Number(process.env.TL_BROWSER_PORT ?? 3210);
const baseUrl = `http://localhost:${port}`;
const seedEvents = process.env.TL_BROWSER_SEED_EVENTS ?? "30000";
const screenshotsDir = path.resolve("test-results", "screenshots");

/**
 * The modules run in two lanes side by side against the one server (the phase was idle most of the time: ~0.7 of
 * one core of two in use), then LAST alone. The side lane's modules check no number another module reads and no
 * other module checks what they change: the role screens (read-only; no exact numbers) and the consent-signal
 * mapping (put back to its defaults). The main lane keeps its order: campaigns, dashboard, exchange, freshness (whose
 * upload moves the numbers the ones after it compare between screen and API), ux. Auth runs last and alone: it
 * resets the demo marketer's password, with which the other modules sign in.
 */
const SIDE_LANE = ["screens-by-role.browser.ts", "signals-settings.browser.ts"];
const LAST = ["auth.browser.ts"];

export interface BrowserTestContext {
  baseUrl: string;
  browser: Browser;
  screenshotsDir: string;
}

function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0)
    throw new Error(`Chromium is missing at ${CHROMIUM}: run 'sudo apt-get install -y chromium'`);
  console.log("browser: installing Debian's chromium…");
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "chromium"],
  ]) {
    const r = spawnSync("apt-get", args, {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed`);
  }
}

async function main(): Promise<number> {
  const modules = fs
    .readdirSync(path.join("test", "browser"))
    .filter((f) => f.endsWith(".browser.ts"))
    // TL_BROWSER_ONLY=ux,screens runs only the modules whose names contain one of these words (while iterating).
    .filter(
      (f) =>
        !process.env.TL_BROWSER_ONLY ||
        process.env.TL_BROWSER_ONLY.split(",").some((w) => f.includes(w.trim())),
    )
    .sort();
  if (!modules.length) {
    console.log("browser: no browser test modules");
    return 0;
  }
  ensureChromium();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-browser-"));
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const env = { ...process.env, TL_DATA_DIR: dataDir, DATABASE_URL: "" };
  // Seeded while the app builds: the build is Turbopack's, the seed one thread of PGlite.
  console.log(`browser: seeding ${seedEvents} demo events into ${dataDir}…`);
  const seed = spawn(
    process.execPath,
    [
      "node_modules/tsx/dist/cli.mjs",
      "--conditions=react-server",
      "scripts/tl.ts",
      "seed",
      "--events",
      seedEvents,
    ],
    { stdio: ["ignore", "ignore", "inherit"], env },
  );
  const seeded = new Promise<number | null>((resolve, reject) => {
    seed.on("exit", resolve);
    seed.on("error", reject);
  });
  try {
    ensureBuilt((l) => console.log(`browser: ${l}`), true);
  } catch (e) {
    seed.kill();
    throw e;
  }
  if ((await seeded) !== 0) throw new Error("tl seed failed");

  // As if behind one reverse proxy: the auth test sends its own X-Forwarded-For to sign in from an address of its own.
  const server = startApp(port, {
    TL_DATA_DIR: dataDir,
    DATABASE_URL: "",
    TL_LOG_LEVEL: "warn",
    TL_TRUSTED_PROXIES: "1",
  });
  let passed = 0;
  let failed = 0;
  let browser: Browser | undefined;
  try {
    await waitForHealth(baseUrl);
    browser = await launchChromium();
    const ctx: BrowserTestContext = { baseUrl, browser, screenshotsDir };
    const runModule = async (file: string) => {
      const started = Date.now();
      try {
        const mod = (await import(path.resolve("test", "browser", file))) as {
          run(ctx: BrowserTestContext): Promise<void>;
        };
        await mod.run(ctx);
        passed++;
        console.log(`browser: ✓ ${file} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        console.log(`browser: ✗ ${file}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    };
    const inOrder = async (files: string[]) => {
      for (const file of files) await runModule(file);
    };
    const beside = modules.filter((f) => SIDE_LANE.includes(f));
    const last = modules.filter((f) => LAST.includes(f));
    const main = modules.filter((f) => !beside.includes(f) && !last.includes(f));
    await Promise.all([inOrder(main), inOrder(beside)]);
    await inOrder(last);
  } finally {
    await browser?.close();
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    const code = await Promise.race([
      exited,
      new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 25_000)),
    ]);
    if (code === 0) {
      passed++;
      console.log("browser: ✓ the app stops cleanly on SIGTERM");
    } else {
      failed++;
      console.log(`browser: ✗ the app did not stop cleanly on SIGTERM (${code})`);
      server.kill("SIGKILL");
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\nbrowser: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`browser: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);

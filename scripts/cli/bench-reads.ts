/**
 * `tl bench reads`: three filtered screens load at once on the production server while a health check is
 * sent every 100 ms (issue 14: first meaningful content under 2 s, health under 200 ms meanwhile).
 *
 * `--mode screens` (the default) loads the three screens at the same instant, three times: each time one of them in
 * Chromium, signed in, and the other two as their pages (a user's browser is on the user's machine, not the
 * server's). `--mode tabs` opens all three in Chromium on this machine at once. Each screen in Chromium is timed
 * from navigation to the frame that first draws its first meaningful content (the element that shows its first
 * number, `FIRST_CONTENT`, marked in the page by `markFirstContent`) and to all loaded (no skeleton or busy card
 * left); cards that show an error (a read over its budget) are counted by their message. `--mode api` sends only
 * the metric API calls of the three views at once (no page, no server rendering): the first and the last answer
 * of each.
 * Runs on the configured database (TL_DATA_DIR, .data/ or DATABASE_URL); seeds the demo there first when
 * it has no demo workspace.
 */
import type { Browser, Page } from "playwright-core";
import { DEMO_SLUG, loadDemo, refreshStaleRollups, workspaceHasEvents } from "@/lib/demo";
import { createApiKey } from "@/lib/keys";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/users/demo";
import { requireWorkspace } from "@/lib/workspaces";
import { ensureBuilt, startApp, waitForHealth } from "../lib/app";
import { firstContentAt, launchChromium, markFirstContent, settled, signIn } from "../lib/browser";
import { openCli, printJson, UsageError } from "./context";

/** Three filtered screens, and the metric calls each makes for its cards in `--mode api`. */
const SCREENS: { name: string; path: string; filters: Record<string, string>; metrics: string[] }[] = [
  {
    name: "overview region=DE",
    path: "/overview",
    filters: { region: "DE" },
    metrics: ["opt-in", "withdrawals", "reciprocity", "churn", "trust-score", "trust-index"],
  },
  {
    name: "purposes channel=web",
    path: "/purposes",
    filters: { channel: "web" },
    metrics: ["opt-in", "withdrawals", "dormant-data"],
  },
  {
    name: "churn region=DE channel=store",
    path: "/churn",
    filters: { region: "DE", channel: "store" },
    metrics: ["churn", "reciprocity"],
  },
];

export const benchReadsSummary =
  "[--events 500000] [--mode screens|tabs|api] [--warm] [--port 3291] [--budget-ms 5000]: three filtered screens at once on the production server (each in turn in Chromium with the other two as page loads, all three as Chromium tabs, or their metric API calls), health latency meanwhile; --warm opens each screen unfiltered first";

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const ms = (n: number) => Math.round(n);

interface ScreenResult {
  screen: string;
  first_content_ms: number | null;
  all_loaded_ms: number;
  over_budget: number;
  errors?: string[];
}

/** Asks /api/health every 100 ms until `stop` resolves; its latencies. */
function healthProbe(baseUrl: string): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let loading = true;
  const probe = (async () => {
    while (loading) {
      const asked = performance.now();
      // A failed check (a kept-alive connection the server closed) counts with the time it took.
      await fetch(`${baseUrl}/api/health`)
        .then((r) => r.arrayBuffer())
        .catch(() => {});
      latencies.push(performance.now() - asked);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      loading = false;
      await probe;
      return latencies;
    },
  };
}

/** A signed-in browser context, its first page on /definitions; `warm`: each screen opened once unfiltered first. */
async function signedIn(browser: Browser, baseUrl: string, timeoutMs: number, warm: boolean) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: "en-US",
    viewport: { width: 1440, height: 900 },
  });
  context.setDefaultNavigationTimeout(timeoutMs);
  await markFirstContent(context);
  const admin = DEMO_USERS.find((u) => u.role === "admin")!;
  const first = await context.newPage();
  await signIn(first, admin.email, DEMO_PASSWORD, "/definitions");
  if (warm)
    for (const screen of SCREENS) {
      await first.goto(screen.path);
      await settled(first, timeoutMs);
    }
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  return { context, cookie };
}

const screenUrl = (screen: (typeof SCREENS)[number]) =>
  `${screen.path}?${new URLSearchParams(screen.filters)}`;

/** One screen in Chromium, timed from navigation to its first meaningful content (drawn) and to all loaded. */
async function timeScreen(
  page: Page,
  screen: (typeof SCREENS)[number],
  timeoutMs: number,
): Promise<ScreenResult> {
  const started = performance.now();
  await page.goto(screenUrl(screen), { waitUntil: "commit" });
  const firstContent = await firstContentAt(page, timeoutMs).catch(() => null);
  await settled(page, timeoutMs);
  const allLoaded = performance.now() - started;
  const errors = await page.locator('[data-state="error"]').allTextContents();
  return {
    screen: screen.name,
    first_content_ms: firstContent,
    all_loaded_ms: ms(allLoaded),
    over_budget: errors.filter((e) => e.includes("budget")).length,
    ...(errors.length ? { errors } : {}),
  };
}

/** A screen loaded as the server sees it, without a browser: its page, streamed to the end (every prefetched read). */
async function loadPage(baseUrl: string, cookie: string, screen: (typeof SCREENS)[number]): Promise<void> {
  const res = await fetch(`${baseUrl}${screenUrl(screen)}`, { headers: { cookie } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${screen.path}: ${res.status}`);
}

/**
 * `screens`: three users load the three screens at the same instant, each in a browser of their own, as three people
 * would. Only the measured user's browser runs on this machine: in three rounds, one screen is opened in Chromium
 * and timed while the other two are requested as their pages (the server does the same work for them: each page and
 * every read it prefetches, streamed to the end).
 *
 * `tabs`: the three screens as tabs of one Chromium on this machine, navigated at the same instant — the server's
 * two cores then also render three dashboards.
 */
async function loadScreens(
  baseUrl: string,
  timeoutMs: number,
  warm: boolean,
  tabs: boolean,
  started: () => void,
): Promise<ScreenResult[]> {
  const browser = await launchChromium();
  try {
    const { context, cookie } = await signedIn(browser, baseUrl, timeoutMs, warm);
    started();
    if (tabs) {
      const pages = await Promise.all(SCREENS.map(() => context.newPage()));
      return await Promise.all(SCREENS.map((screen, i) => timeScreen(pages[i]!, screen, timeoutMs)));
    }
    const results: ScreenResult[] = [];
    for (const measured of SCREENS) {
      const page = await context.newPage();
      const [result] = await Promise.all([
        timeScreen(page, measured, timeoutMs),
        ...SCREENS.filter((s) => s !== measured).map((s) => loadPage(baseUrl, cookie, s)),
      ]);
      results.push(result);
      await page.close();
    }
    return results;
  } finally {
    await browser.close();
  }
}

/** The three views' metric API calls at once: each view's first and last answer. */
async function loadApi(baseUrl: string, key: string): Promise<ScreenResult[]> {
  const headers = { authorization: `Bearer ${key}` };
  const started = performance.now();
  return Promise.all(
    SCREENS.map(async (screen) => {
      let first = Infinity;
      const answers = await Promise.all(
        screen.metrics.map(async (metric) => {
          const res = await fetch(
            `${baseUrl}/api/v1/metrics/${metric}?${new URLSearchParams(screen.filters)}`,
            { headers },
          );
          const body = (await res.json()) as { message?: string };
          const at = performance.now() - started;
          if (res.ok) first = Math.min(first, at);
          return { metric, status: res.status, ms: ms(at), message: res.ok ? undefined : body.message };
        }),
      );
      const errors = answers
        .filter((a) => a.status !== 200)
        .map((a) => `${a.metric}: ${a.status} ${a.message}`);
      return {
        screen: screen.name,
        first_content_ms: Number.isFinite(first) ? ms(first) : null,
        all_loaded_ms: Math.max(...answers.map((a) => a.ms)),
        over_budget: answers.filter((a) => a.status === 503).length,
        ...(errors.length ? { errors } : {}),
      };
    }),
  );
}

export async function benchReads(v: Record<string, string | boolean | undefined>): Promise<void> {
  const events = Number(v.events ?? 500_000);
  const port = Number(v.port ?? 3291);
  const mode = v.mode ?? "screens";
  const budget = v["budget-ms"] === undefined ? undefined : Number(v["budget-ms"]);
  const warm = v.warm === true;
  if (warm && mode === "api") throw new UsageError("--warm applies to --mode screens or tabs");
  if (!Number.isInteger(events) || events < 100)
    throw new UsageError("--events takes a whole number of at least 100");
  if (!Number.isInteger(port) || port <= 0) throw new UsageError("--port takes a port number");
  if (mode !== "screens" && mode !== "tabs" && mode !== "api")
    throw new UsageError("--mode takes screens, tabs or api");
  if (budget !== undefined && !(Number.isInteger(budget) && budget > 0))
    throw new UsageError("--budget-ms takes a positive whole number of milliseconds");

  const ctx = await openCli();
  let key: string;
  try {
    if (!(await workspaceHasEvents(ctx.database.db, DEMO_SLUG))) {
      process.stderr.write(`bench reads: seeding the demo with ${events} events…\n`);
      await loadDemo(ctx.database.db, { slug: DEMO_SLUG, events });
    }
    const ws = await requireWorkspace(ctx.database.db, DEMO_SLUG);
    // As the demo does: rollups an older version built would send every read to the raw events.
    if (await refreshStaleRollups(ctx.database.db, ws.id))
      process.stderr.write(`bench reads: rebuilt the demo's rollups (an older version built them)\n`);
    key = (await createApiKey(ctx.database.db, ws.id, ["read"])).key;
  } finally {
    // The embedded database is the app's once it starts: the CLI lets go of it first.
    await ctx.close();
  }

  ensureBuilt((l) => process.stderr.write(`bench reads: ${l}\n`));
  const server = startApp(
    port,
    { TL_LOG_LEVEL: "warn", ...(budget ? { TL_READ_BUDGET_MS: String(budget) } : {}) },
    "pipe",
  );
  const baseUrl = `http://localhost:${port}`;
  try {
    await waitForHealth(baseUrl, 120_000);
    // Warm: one unfiltered read, so the figures are not the first request's compilation and cache misses.
    await fetch(`${baseUrl}/api/v1/metrics/opt-in`, { headers: { authorization: `Bearer ${key}` } });

    let probe: ReturnType<typeof healthProbe> | undefined;
    const startProbe = () => (probe = healthProbe(baseUrl));
    const screens = await (
      mode === "api"
        ? (startProbe(), loadApi(baseUrl, key))
        : loadScreens(baseUrl, 300_000, warm, mode === "tabs", startProbe)
    ).finally(() => probe?.stop());
    const sorted = [...((await probe?.stop()) ?? [])].sort((a, b) => a - b);
    printJson({
      database: process.env.DATABASE_URL ? "postgres" : "pglite",
      mode,
      warm,
      measured:
        mode === "api"
          ? "metric API calls: first_content_ms = the view's first answer, all_loaded_ms = its last"
          : `Chromium (${mode === "tabs" ? "the three screens as tabs of one browser here" : "each screen in turn, the other two loaded as their pages at the same instant"}), from navigation: first_content_ms = the frame that first draws the screen's first number, all_loaded_ms = no card loading`,
      budget_ms: budget ?? "default (TL_READ_BUDGET_MS or 5000)",
      screens,
      health: {
        checks: sorted.length,
        p50_ms: ms(percentile(sorted, 50)),
        p95_ms: ms(percentile(sorted, 95)),
        max_ms: ms(sorted[sorted.length - 1] ?? NaN),
        over_200_ms: sorted.filter((t) => t > 200).length,
      },
    });
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
}

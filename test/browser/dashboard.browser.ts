/**
 * The dashboard as its users see it: every screen on the seeded demo, its numbers against the metrics API for the
 * same view, a filter change (URL and chart), a CSV export, the upload, roles, keyboard focus, dark mode, and the
 * time from navigation to the first meaningful content of every screen (printed, not asserted).
 */
import path from "node:path";
import type { Page } from "playwright-core";
import type { OptInResponse } from "@/lib/metrics/types";
import { firstContentAt, markFirstContent } from "../../scripts/lib/browser";
import { DEMO_PASSWORD } from "@/lib/users/demo";
import {
  checkChurn,
  checkEvents,
  checkInventory,
  checkOverview,
  checkPurposes,
  checkReciprocity,
} from "./dashboard/screens";
import {
  api,
  check,
  downloadCsv,
  eventuallyCell,
  pct,
  pick,
  settled,
  signIn,
  viewOf,
  type Ctx,
} from "./dashboard/support";

const SCREENS = ["overview", "purposes", "reciprocity", "inventory", "churn", "events", "definitions"].map(
  (name) => ({ path: `/${name}`, name }),
);

const CHECKS: Record<string, (page: Page) => Promise<void>> = {
  overview: checkOverview,
  purposes: async (page) => checkPurposes(page, pick(await viewOf(page), "from", "to", "granularity")),
  reciprocity: checkReciprocity,
  inventory: (page) => checkInventory(page, true),
  churn: checkChurn,
  events: checkEvents,
  definitions: async (page) => {
    for (const id of [
      "opt-in-rate",
      "withdrawal-rate",
      "reciprocity",
      "dormant-share",
      "churn-rate",
      "trust-score",
      "trust-index",
      "churn-after-withdrawal",
    ]) {
      check((await page.locator(`section#${id}`).count()) === 1, `/definitions has no #${id}`);
    }
  },
};

async function shoot(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: path.join(dir, `dashboard-${name}.png`), fullPage: true });
}

/** Opens each screen fresh, times it to its first meaningful content, screenshots it, and checks its numbers. */
async function everyScreen(page: Page, ctx: Ctx): Promise<string[]> {
  const timings: string[] = [];
  for (const screen of SCREENS) {
    const started = Date.now();
    await page.goto(screen.path, { waitUntil: "commit" });
    // Timed in the page, as `tl bench reads` times it: the frame that first draws the screen's first number.
    const firstContent = await firstContentAt(page, 300_000);
    await settled(page).catch((e: unknown) => {
      throw new Error(`${screen.path} did not finish loading: ${e instanceof Error ? e.message : String(e)}`);
    });
    timings.push(
      `${screen.path.padEnd(13)} ${String(firstContent).padStart(6)} ms first content, ${String(Date.now() - started).padStart(6)} ms all`,
    );
    await shoot(page, ctx.screenshotsDir, screen.name);
    const run = CHECKS[screen.name];
    if (run) await run(page);
  }
  return timings;
}

/** A filter change writes the URL, redraws the chart and changes the numbers to the API's for the new view; the CSV holds them. */
async function filterAndExport(page: Page, ctx: Ctx): Promise<void> {
  await page.goto("/purposes");
  const view = pick(await viewOf(page), "from", "to", "granularity");
  await settled(page);
  const bars = page.locator('[data-card="opt-in-by-purpose"] .recharts-bar-rectangle path');
  const before = await bars.evaluateAll((els) => els.map((e) => e.getAttribute("d")).join("|"));
  await page.selectOption('select[name="channel"]', "app");
  await page.waitForURL(/[?&]channel=app(&|$)/);
  const filtered = { ...view, channel: "app" };
  const optIn = await api<OptInResponse>(page, "/api/v1/metrics/opt-in", filtered);
  for (const p of optIn.purposes)
    await eventuallyCell(page, "opt-in-by-purpose_", p.purpose, "opt_in_rate", pct(p.opt_in_rate));
  await settled(page);
  const after = await bars.evaluateAll((els) => els.map((e) => e.getAttribute("d")).join("|"));
  check(before !== after, "the opt-in chart did not change with the channel filter");
  await checkPurposes(page, filtered);

  const csv = await downloadCsv(
    page,
    page.locator('[data-card="opt-in-by-purpose"] button[data-csv^="opt-in-by-purpose"]'),
  );
  const [header, ...rows] = csv.rows;
  check(
    header?.join(",") === "purpose,answered,granted,opt_in_rate,as_of,pending_events,query",
    `CSV header: ${header?.join(",")}`,
  );
  // What it counts, on every row: the answer's as_of and pending_events, and the API call that gives it.
  check(/_channel-app\.csv$/.test(csv.name), `CSV file name without the channel filter: ${csv.name}`);
  for (const row of rows) {
    const query = new URL(row[6] ?? "", "http://x");
    check(
      !Number.isNaN(Date.parse(row[4] ?? "")) &&
        Date.parse(row[4]!) <= Date.now() &&
        /^\d+$/.test(row[5] ?? "") &&
        query.pathname === "/api/v1/metrics/opt-in" &&
        query.searchParams.get("channel") === "app" &&
        query.searchParams.get("from") === view.from,
      `CSV row without what it counts: ${row.join(",")}`,
    );
  }
  check(
    rows.length === optIn.purposes.length,
    `CSV has ${rows.length} rows, the API ${optIn.purposes.length} purposes`,
  );
  for (const p of optIn.purposes) {
    const row = rows.find((r) => r[0] === p.purpose);
    // Rates as the percentage the screen shows, not a 16-digit fraction.
    check(
      row &&
        Number(row[1]) === p.answered &&
        Number(row[2]) === p.granted &&
        (row[3] === "" ? p.opt_in_rate === null : row[3] === pct(p.opt_in_rate)),
      `CSV row for ${p.purpose}: ${row?.join(",")}`,
    );
  }

  await page.click('[data-card="opt-in-breakdown"] button:has-text("Region")');
  await page.waitForURL(/[?&]breakdown=region(&|$)/);
  check(page.url().includes("channel=app"), "switching the breakdown lost the channel filter");
  const byRegion = await api<OptInResponse>(page, "/api/v1/metrics/opt-in", {
    ...filtered,
    breakdown: "region",
  });
  const de = byRegion.purposes
    .find((p) => p.purpose === "data-sharing")
    ?.breakdown?.find((b) => b.value === "DE");
  check(de, "the API has no DE breakdown for data-sharing");
  await eventuallyCell(page, "opt-in-by-region_", "DE|data-sharing", "opt_in_rate", pct(de.opt_in_rate));
  await settled(page);
  await shoot(page, ctx.screenshotsDir, "purposes-filtered");

  // A copied link reproduces the view.
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await eventuallyCell(
    other,
    "opt-in-by-purpose_",
    "data-sharing",
    "opt_in_rate",
    pct(optIn.purposes.find((p) => p.purpose === "data-sharing")?.opt_in_rate ?? null),
  );
  check(
    (await other.locator('select[name="channel"]').inputValue()) === "app",
    "the copied link did not restore the channel filter",
  );
  await other.close();
}

/** Upload: events already stored are duplicates, a bad one is rejected with its reason; nothing in the demo changes. */
async function upload(page: Page): Promise<void> {
  await page.goto("/events");
  await settled(page);
  const ndjson = [
    { id: "seed-1", type: "trust.rated", subject: "cus_1", occurred_at: "2026-01-05T10:00:00Z", score: 7 },
    { id: "seed-2", type: "trust.rated", subject: "cus_1", occurred_at: "2026-01-05T10:00:00Z", score: 7 },
    {
      id: "upload-bad-1",
      type: "consent.granted",
      subject: "someone@example.com",
      occurred_at: "2026-01-05T10:00:00Z",
      purpose: "ads",
    },
  ]
    .map((e) => JSON.stringify(e))
    .join("\n");
  await page.setInputFiles('[data-card="upload"] input[type="file"]', {
    name: "events.ndjson",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(ndjson),
  });
  await page.click('[data-card="upload"] button[type="submit"]');
  const summary = page.locator("[data-upload-summary]");
  await summary.waitFor({ timeout: 60_000 });
  const text = (await summary.textContent()) ?? "";
  check(
    /0 accepted, 2 duplicates, 1 rejected/.test(text.replace(/\s+/g, " ")) && text.includes("subject"),
    `upload summary: ${text}`,
  );
  await page
    .locator('[data-table="rejected-events"] td:has-text("upload-bad-1")')
    .first()
    .waitFor({ timeout: 60_000 });
}

/** Roles: what an executive and a privacy officer see, and what they are refused. */
async function roles(ctx: Ctx): Promise<void> {
  for (const [email, allowed, refused] of [
    ["executive@demo.trustledger.test", ["/overview", "/churn"], ["/inventory", "/events"]],
    ["privacy@demo.trustledger.test", ["/inventory"], ["/settings/users"]],
  ] as const) {
    const context = await ctx.browser.newContext({
      baseURL: ctx.baseUrl,
      locale: "en-US",
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    context.setDefaultNavigationTimeout(180_000);
    await signIn(page, email, DEMO_PASSWORD, "/definitions");
    const nav = (await page.locator('nav[aria-label="Main"]').textContent()) ?? "";
    for (const p of refused) {
      const res = await page.goto(p);
      check(res?.status() === 403, `${email}: ${p} gave ${res?.status()}, expected 403`);
    }
    for (const p of allowed) {
      const res = await page.goto(p);
      check(res?.status() === 200, `${email}: ${p} gave ${res?.status()}`);
    }
    if (email.startsWith("executive")) {
      check(
        !nav.includes("Data inventory") && !nav.includes("Events"),
        `the executive's sidebar offers screens they may not open: ${nav}`,
      );
      await page.goto("/overview", { waitUntil: "commit" });
      await settled(page);
      await shoot(page, ctx.screenshotsDir, "overview-laptop-executive");
    }
    if (email.startsWith("privacy")) {
      await settled(page);
      await checkInventory(page, true);
    }
    await context.close();
  }
}

async function keyboardAndTheme(page: Page, ctx: Ctx): Promise<void> {
  await page.goto("/definitions");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({
    text: document.activeElement?.textContent,
    outline: getComputedStyle(document.activeElement as Element).outlineStyle,
  }));
  check(
    first.text?.includes("Skip to content") && first.outline !== "none",
    `the first Tab should reach a visible "Skip to content" link: ${JSON.stringify(first)}`,
  );
  await page.click('[role="group"][aria-label="Colour theme"] button:has-text("Dark")');
  for (const screen of ["overview", "purposes", "inventory", "churn"]) {
    await page.goto(`/${screen}`, { waitUntil: "commit" });
    await settled(page);
    check((await page.getAttribute("html", "data-theme")) === "dark", "the dark theme did not stick");
    await shoot(page, ctx.screenshotsDir, `${screen}-dark`);
  }
  await page.click('[role="group"][aria-label="Colour theme"] button:has-text("Auto")');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/overview", { waitUntil: "commit" });
  await settled(page);
  await shoot(page, ctx.screenshotsDir, "overview-wide");
}

export async function run(ctx: Ctx): Promise<void> {
  const context = await ctx.browser.newContext({
    baseURL: ctx.baseUrl,
    locale: "en-US",
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
  });
  await markFirstContent(context);
  try {
    const page = await context.newPage();
    // A screen's HTML streams until its last card is computed: "load" can take long on a busy machine.
    context.setDefaultNavigationTimeout(180_000);
    await signIn(page, "admin@demo.trustledger.test", DEMO_PASSWORD, "/definitions");
    const timings = await everyScreen(page, ctx);
    console.log(
      `dashboard: navigation → first meaningful content (target 1.5 s), demo data, embedded database:\n  ${timings.join("\n  ")}`,
    );
    await filterAndExport(page, ctx);
    await upload(page);
    await keyboardAndTheme(page, ctx);
    await roles(ctx);
  } finally {
    await context.close();
  }
}

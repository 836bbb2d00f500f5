/**
 * Reads never wait for writes: right after an upload the screens answer from what is counted and say
 * "N events are still being counted" once (not per card) until the background applier has counted them;
 * a filter change during an update keeps the user's other selections.
 */
import type { Page } from "playwright-core";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/users/demo";
import { api, check, settled, signIn, type Ctx } from "./dashboard/support";

const FRESH = 30_000;

async function uploadFresh(page: Page): Promise<void> {
  await page.goto("/events");
  await settled(page);
  const ndjson = Array.from({ length: FRESH }, (_, i) =>
    JSON.stringify({
      id: `fresh-${i}`,
      type: i % 3 ? "consent.granted" : "consent.denied",
      subject: `fresh_${i}`,
      occurred_at: "2026-09-15T10:00:00Z",
      purpose: "ads",
    }),
  ).join("\n");
  await page.setInputFiles('[data-card="upload"] input[type="file"]', {
    name: "fresh.ndjson",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(ndjson),
  });
  await page.click('[data-card="upload"] button[type="submit"]');
  const summary = page.locator("[data-upload-summary]");
  await summary.waitFor({ timeout: 120_000 });
  const text = ((await summary.textContent()) ?? "").replace(/\s+/g, " ");
  check(text.includes(`${FRESH.toLocaleString("en-US")} accepted`), `upload summary: ${text}`);
}

/** The notice is shown once while events wait, then goes away on its own. */
async function stillBeingCounted(page: Page): Promise<void> {
  await page.goto("/purposes");
  const notice = page.locator("[data-pending-events]");
  await notice.first().waitFor({ timeout: 60_000 });
  check((await notice.count()) === 1, `the notice is shown ${await notice.count()} times, want once`);
  const pending = Number(await notice.getAttribute("data-pending-events"));
  check(pending > 0 && pending <= FRESH, `pending_events ${pending}`);
  const text = (await notice.textContent()) ?? "";
  check(/events? (are|is) still being counted/.test(text), `notice text: ${text}`);
  await notice.waitFor({ state: "detached", timeout: 240_000 });
  const view = Object.fromEntries(new URL(page.url()).searchParams);
  const answer = await api<{ pending_events: number }>(page, "/api/v1/metrics/opt-in", view);
  check(
    answer.pending_events === 0,
    `after the notice went away the API says ${answer.pending_events} pending`,
  );
}

/** Picking a preset while the channel filter's update runs keeps the channel (the bug: it was dropped). */
async function presetKeepsFilter(page: Page): Promise<void> {
  await page.goto("/purposes");
  await settled(page);
  await page.selectOption('select[name="channel"]', "app");
  // At once, while the filtered cards are still loading.
  await page.click('button:has-text("Last 90 days")');
  await page.waitForSelector('button[aria-pressed="true"]:has-text("Last 90 days")', { timeout: 60_000 });
  await settled(page);
  const url = new URL(page.url());
  check(url.searchParams.get("channel") === "app", `the preset dropped the channel filter: ${url.search}`);
  check(
    (await page.locator('button:has-text("Last 90 days")').getAttribute("aria-pressed")) === "true",
    `the preset is not applied: ${url.search}`,
  );
  // The select shows the committed view: it reads "app" again once the transition has committed.
  await page
    .waitForFunction(
      () => (document.querySelector('select[name="channel"]') as HTMLSelectElement | null)?.value === "app",
      null,
      { timeout: 60_000 },
    )
    .catch(() => {
      throw new Error("the channel select lost its value");
    });
}

export async function run(ctx: Ctx): Promise<void> {
  const context = await ctx.browser.newContext({ baseURL: ctx.baseUrl, locale: "en-US" });
  const page = await context.newPage();
  try {
    const owner = DEMO_USERS.find((u) => u.role === "admin") ?? DEMO_USERS[0]!;
    await signIn(page, owner.email, DEMO_PASSWORD, "/overview");
    await presetKeepsFilter(page);
    await uploadFresh(page);
    await stillBeingCounted(page);
  } finally {
    await context.close();
  }
}

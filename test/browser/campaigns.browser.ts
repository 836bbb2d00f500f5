/**
 * Give-back campaigns in the browser, as two privacy users: from a dormant field in the Data inventory to a
 * launched campaign (one submits, the other approves), the hand-off CSV and its rows, and the demo campaign's
 * results. A marketer gets neither the screen nor the API.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD } from "@/lib/users/demo";
import type { BrowserTestContext as Ctx } from "./run";

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Signs in and lands on `then` (the overview's metrics belong to other tests). */
async function signedIn(ctx: Ctx, email: string, then: string): Promise<Page> {
  const context = await ctx.browser.newContext({
    baseURL: ctx.baseUrl,
    viewport: { width: 1360, height: 1000 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.on("dialog", (d) => void d.accept());
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(then)}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => u.pathname === then, { timeout: 30_000 });
  return page;
}

const shot = (ctx: Ctx, page: Page, name: string) =>
  page.screenshot({ path: path.join(ctx.screenshotsDir, `campaigns-${name}.png`), fullPage: true });
const number = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

async function waitForStatus(page: Page, wanted: string): Promise<void> {
  await page.locator(`h1 [data-status="${wanted}"]`).waitFor({ timeout: 20_000 });
}

async function tile(page: Page, id: string): Promise<number> {
  return number(await page.locator(`[data-tile="${id}"] strong`).textContent());
}

/** Opened without the inventory's instant, the form compares its count with the inventory's default: the data's end. */
async function newCampaignComparesWithInventory(page: Page): Promise<void> {
  await page.goto("/campaigns/new");
  const said = page.locator("[data-inventory-comparison]");
  await said.waitFor({ timeout: 30_000 });
  check(
    ((await said.textContent()) ?? "").includes("the instant the Data inventory counts at"),
    `New campaign does not compare its count with the Data inventory's: ${await said.textContent()}`,
  );
}

/** Opens the inventory and follows the "Give back" action of the birthday field, which is dormant in the demo. */
async function giveBackFromInventory(ctx: Ctx, page: Page): Promise<void> {
  const giveBack = page.locator('a[href^="/campaigns/new?field=birthday"]').first();
  await giveBack.waitFor({ timeout: 30_000 });
  await shot(ctx, page, "0-inventory");
  await giveBack.click();
  await page.waitForURL(/\/campaigns\/new\?field=birthday/);
}

async function draftCampaign(ctx: Ctx, page: Page, name: string): Promise<{ id: string; audience: number }> {
  const audience = page.locator("[data-audience]");
  await page.waitForFunction(
    () => (document.querySelector("[data-audience]")?.getAttribute("data-audience") ?? "") !== "",
    null,
    { timeout: 30_000 },
  );
  const count = Number(await audience.getAttribute("data-audience"));
  check(count > 0, `the live audience of birthday is ${count}`);
  const metric = (await (
    await page.request.get(`/api/v1/metrics/dormant-data?at=${new Date().toISOString()}`)
  ).json()) as { fields: { field: string; dormant: number }[] };
  const dormant = metric.fields.find((f) => f.field === "birthday")?.dormant;
  check(dormant === count, `the live audience ${count} differs from the dormant-data metric's ${dormant}`);

  // The form names regions and channels as the filters do, not by their codes.
  const named = async (select: string, value: string) =>
    ((await page.locator(`select[name="${select}"] option[value="${value}"]`).textContent()) ?? "").trim();
  check(
    (await named("region", "DE")) === "Germany",
    `the form's region DE reads "${await named("region", "DE")}"`,
  );
  check(
    (await named("channel", "call_center")) === "Call center",
    `the form's channel call_center reads "${await named("channel", "call_center")}"`,
  );
  await page.fill('input[name="name"]', name);
  await page.check('input[name="action"][value="ask"]');
  await page.locator("[data-message-preview]").filter({ hasText: "keep it" }).waitFor({ timeout: 10_000 });
  await page.check('input[name="action"][value="delete"]');
  await page
    .locator("[data-message-preview]")
    .filter({ hasText: "so we have deleted it." })
    .waitFor({ timeout: 10_000 });
  // A holdout the server would refuse shows why, and no split of the audience (never "−3,098 contacted").
  await page.fill('input[name="holdout"]', "200");
  await page.locator("[data-holdout-error]").waitFor({ timeout: 10_000 });
  check(
    (await page.locator("[data-split]").count()) === 0,
    "a 200% holdout still previews a split of the audience",
  );
  await page.fill('input[name="holdout"]', "20");
  await page.locator("[data-split]").waitFor({ timeout: 10_000 });
  await shot(ctx, page, "1-new");
  await page.click('button:has-text("Create draft")');
  await page.waitForURL(/\/campaigns\/cmp_[0-9a-f]+$/, { timeout: 20_000 });
  await waitForStatus(page, "draft");
  return { id: page.url().split("/").pop() ?? "", audience: count };
}

async function csvRows(page: Page): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-handoff]")]);
  const file = await download.path();
  return fs.readFileSync(file, "utf8").trimEnd().split("\r\n");
}

export async function run(ctx: Ctx): Promise<void> {
  const name = `Birthdays back ${randomBytes(3).toString("hex")}`;
  const submitter = await signedIn(ctx, "privacy@demo.trustledger.test", "/inventory");
  await newCampaignComparesWithInventory(submitter);
  await submitter.goto("/inventory");
  await giveBackFromInventory(ctx, submitter);
  const { id } = await draftCampaign(ctx, submitter, name);
  await submitter.click('button:has-text("Submit for approval")');
  await waitForStatus(submitter, "pending_approval");
  await submitter.locator('[data-review="blocked"]').filter({ hasText: "four eyes" }).waitFor();
  check(
    (await submitter.locator('button:has-text("Approve")').count()) === 0,
    "the submitter is offered an Approve button",
  );
  const own = await submitter.request.post(`/api/v1/campaigns/${id}/approve`, {
    headers: { origin: ctx.baseUrl },
    data: { comment: "mine" },
  });
  check(own.status() === 403, `the submitter's own approval answered ${own.status()}`);
  await shot(ctx, submitter, "2-pending");

  const approver = await signedIn(ctx, "privacy2@demo.trustledger.test", "/campaigns");
  // The approver is told: a count in the navigation and a line above the list.
  const badge = Number(await approver.locator("nav [data-nav-badge]").getAttribute("data-nav-badge"));
  check(badge >= 1, `the approver's navigation shows ${badge} campaigns waiting`);
  check(
    Number(await approver.locator("[data-awaiting-approval]").getAttribute("data-awaiting-approval")) ===
      badge,
    "the list and the navigation disagree on what waits",
  );
  check(
    (await submitter.locator("nav [data-nav-badge]").count()) === 0,
    "the submitter is asked to approve their own campaign",
  );
  await approver.goto(`/campaigns/${id}`);
  // The review shows the audience as submitted, against the inventory now, and its split.
  const breakdown = approver.locator("[data-review-breakdown]");
  await breakdown.locator("[data-review-now]").filter({ hasText: "holdings" }).waitFor({ timeout: 30_000 });
  check(
    /≈ [\d,]+/.test((await breakdown.locator("[data-review-contacted]").textContent()) ?? ""),
    "the review does not say how many would be contacted",
  );
  await approver.fill('textarea[name="comment"]', "The message is plain and kind. Go.");
  await approver.click('button:has-text("Approve")');
  await waitForStatus(approver, "approved");
  await shot(ctx, approver, "3-approved");

  const marketer = await signedIn(ctx, "marketer@demo.trustledger.test", "/definitions");
  check((await marketer.goto("/campaigns"))?.status() === 403, "a marketer sees the campaigns screen");
  const refused = await marketer.request.post(`/api/v1/campaigns/${id}/launch`, {
    headers: { origin: ctx.baseUrl },
  });
  check(refused.status() === 403, `a marketer's launch answered ${refused.status()}`);

  await submitter.reload();
  await submitter.click('button:has-text("Launch")');
  await waitForStatus(submitter, "launched");
  const contacted = await tile(submitter, "contacted");
  const holdout = await tile(submitter, "holdout");
  check(contacted > 0 && holdout > 0, `contacted ${contacted}, holdout ${holdout}`);
  check(
    Math.abs(holdout / (contacted + holdout) - 0.2) < 0.05,
    `a 20% holdout held out ${holdout} of ${contacted + holdout}`,
  );
  await shot(ctx, submitter, "4-launched");

  const rows = await csvRows(submitter);
  check(rows[0] === "subject,field,action,message", `the hand-off header is ${rows[0]}`);
  check(
    rows.length - 1 === contacted,
    `the hand-off has ${rows.length - 1} rows for ${contacted} contacted recipients`,
  );
  const subjects = new Set(rows.slice(1).map((r) => r.split(",")[0]));
  check(subjects.size === contacted, "the hand-off repeats a subject");
  for (const r of rows.slice(1)) {
    check(
      r.endsWith(
        ',birthday,delete,"We are not using your birthday for anything that helps you, so we have deleted it."',
      ),
      `unexpected hand-off row ${r}`,
    );
  }
  const again = await submitter.request.post(`/api/v1/campaigns/${id}/launch`, {
    headers: { origin: ctx.baseUrl },
  });
  check(again.status() === 409, `a second launch answered ${again.status()}`);

  await submitter.goto("/campaigns/cmp_demo_birthday");
  await waitForStatus(submitter, "completed");
  await submitter.locator('[data-table="campaign-results"] tbody tr').nth(8).waitFor({ timeout: 30_000 });
  await submitter.locator(".recharts-bar-rectangle").first().waitFor();
  await shot(ctx, submitter, "5-results");

  await submitter.goto("/campaigns");
  await submitter.locator('[data-table="campaigns"]').getByText(name).waitFor();
  await shot(ctx, submitter, "6-list");
  for (const p of [submitter, approver, marketer]) await p.context().close();
}

/**
 * Settings > Consent signals in the browser: an admin sees the mapping with its defaults, a bad purpose key is
 * refused on its row, a good one is saved and shown again after a reload, reset goes back to the defaults;
 * a marketer gets the 403 page.
 */
import check from "node:assert/strict";
import path from "node:path";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/users/demo";
import type { BrowserTestContext } from "./run";

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 30_000 });
}

const gpcInput = (page: Page) => page.locator('input[name="gpc"]');

/** Drives the screen as a signed-in admin; leaves the mapping at its defaults. */
export async function checkSignalSettings(page: Page, screenshotsDir?: string): Promise<void> {
  await page.goto("/settings/signals");
  await page.getByRole("heading", { name: "IAB TCF purposes" }).waitFor({ timeout: 30_000 });
  check(await page.getByRole("link", { name: "Consent signals" }).isVisible(), "no Consent signals tab");
  check(
    (await page.locator("form[aria-label='Consent signal mapping']").textContent())?.includes(
      "Default: ads, data-sharing",
    ),
    "GPC default not shown",
  );

  await gpcInput(page).fill("Ads");
  await page.getByRole("button", { name: "Save mapping" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Not saved" });
  await alert.waitFor({ timeout: 15_000 });
  check(
    (await page.locator("form").textContent())?.includes("'Ads': a purpose key is lowercase letters"),
    "the bad key is not named on its row",
  );
  if (screenshotsDir)
    await page.screenshot({
      path: path.join(screenshotsDir, "settings-signals-invalid.png"),
      fullPage: true,
    });

  await gpcInput(page).fill("data-sharing");
  await page.getByRole("button", { name: "Save mapping" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor({ timeout: 15_000 });
  await page.reload();
  check(
    (await gpcInput(page).inputValue()) === "data-sharing",
    `after reload GPC maps to '${await gpcInput(page).inputValue()}'`,
  );

  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor({ timeout: 15_000 });
  check((await gpcInput(page).inputValue()) === "ads, data-sharing", "reset did not restore the GPC default");
}

export async function run(ctx: BrowserTestContext): Promise<void> {
  const admin = DEMO_USERS.find((u) => u.role === "admin");
  const marketer = DEMO_USERS.find((u) => u.role === "marketer");
  check(admin && marketer, "demo users missing");
  for (const [user, allowed] of [
    [admin, true],
    [marketer, false],
  ] as const) {
    const context = await ctx.browser.newContext({
      baseURL: ctx.baseUrl,
      viewport: { width: 1360, height: 900 },
    });
    const page = await context.newPage();
    try {
      await signIn(page, user.email, DEMO_PASSWORD);
      if (allowed) await checkSignalSettings(page, ctx.screenshotsDir);
      else
        check(
          (await page.goto("/settings/signals"))?.status() === 403,
          "a marketer may open Settings > Consent signals",
        );
    } finally {
      await context.close();
    }
  }
}

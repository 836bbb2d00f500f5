/**
 * Every screen each role can open, at 1440×900 and 390×844, screenshotted for review (test-results/screenshots/
 * role-<role>-<size>-<screen>.png). The screens are read from the role's own navigation; each must load without an
 * error card and without a horizontal scroll of the page.
 */
import path from "node:path";
import { DEMO_PASSWORD } from "@/lib/users/demo";
import { check, settled, signIn, type Ctx } from "./dashboard/support";

const ROLES = ["admin", "privacy", "marketer", "executive"] as const;
const SIZES = [
  { name: "laptop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

export async function run(ctx: Ctx): Promise<void> {
  for (const role of ROLES) {
    for (const size of SIZES) {
      const context = await ctx.browser.newContext({
        baseURL: ctx.baseUrl,
        locale: "en-US",
        viewport: { width: size.width, height: size.height },
      });
      context.setDefaultNavigationTimeout(180_000);
      const page = await context.newPage();
      try {
        await signIn(page, `${role}@demo.trustledger.test`, DEMO_PASSWORD, "/overview");
        const links = await page
          .locator('nav[aria-label="Main"] .nav a')
          .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
        const screens = [
          ...new Set([
            ...links,
            ...(links.includes("/settings")
              ? [
                  "/settings/users",
                  "/settings/keys",
                  "/settings/webhook",
                  "/settings/trust-index",
                  "/settings/signals",
                ]
              : []),
          ]),
        ];
        check(screens.length >= 5, `${role} has ${screens.length} screens in the navigation`);
        for (const screen of screens) {
          // "load": the streamed HTML is complete (every card's answer arrived); then client fetches settle.
          await page.goto(screen, { waitUntil: "load" });
          await settled(page);
          const name = screen.slice(1).replace(/\//g, "-") || "home";
          await page.screenshot({
            path: path.join(ctx.screenshotsDir, `role-${role}-${size.name}-${name}.png`),
            fullPage: true,
          });
          // What a phone shows first, at full size for review.
          if (size.name === "phone")
            await page.screenshot({
              path: path.join(ctx.screenshotsDir, `role-${role}-${size.name}-${name}-first-screen.png`),
            });
          const errors = await page.locator('[data-state="error"]').allTextContents();
          check(errors.length === 0, `${role} ${size.name} ${screen}: ${errors.join(" | ")}`);
          const scroll = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          check(scroll <= 1, `${role} ${size.name} ${screen}: the page scrolls sideways by ${scroll} px`);
        }
      } finally {
        await context.close();
      }
    }
  }
}

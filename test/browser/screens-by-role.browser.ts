/**
 * Every screen each role can open, at 1440×900 and 390×844, screenshotted for review (test-results/screenshots/
 * role-<role>-<size>-<screen>.png). The screens are read from the role's own navigation; each must load without an
 * error card, script error (a hydration mismatch included) or failed request other than a 403, without a horizontal
 * scroll of the page, and with every chart's text whole: no label cut with "…",
 * none running past its chart's edge, no two values written over each other, no event code in a legend.
 */
import path from "node:path";
import { DEMO_PASSWORD } from "@/lib/users/demo";
import type { Page } from "playwright-core";
import { check, settled, signIn, type Ctx } from "./dashboard/support";

const ROLES = ["admin", "privacy", "marketer", "executive"] as const;
const SIZES = [
  { name: "laptop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

export async function run(ctx: Ctx): Promise<void> {
  // Every screen is looked at even when an earlier one fails: the failures are reported together at the end.
  const failures: string[] = [];
  const expect = (condition: unknown, message: string) => {
    if (!condition) failures.push(message);
  };
  for (const role of ROLES) {
    // One session per role; each screen is loaded once and looked at in each size in turn (the window resized, as a
    // phone turned or a window narrowed: the layout is CSS and `useNarrowScreen`, which follows the width).
    // Loading every screen again per size doubled this module's time, the longest of the browser tests.
    const [first] = SIZES;
    const context = await ctx.browser.newContext({
      baseURL: ctx.baseUrl,
      locale: "en-US",
      viewport: { width: first.width, height: first.height },
    });
    context.setDefaultNavigationTimeout(180_000);
    const page = await context.newPage();
    // Script errors (a hydration mismatch is React error #418) and failed requests other than a role's expected 403.
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message.split("\n")[0] ?? ""));
    page.on("console", (m) => {
      // A failed request is logged too: the responses below say which (a role's 403 is expected).
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
        pageErrors.push(m.text().split("\n")[0] ?? "");
    });
    page.on("response", (r) => {
      if (r.status() >= 400 && r.status() !== 403)
        pageErrors.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
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
                "/settings/audit",
              ]
            : []),
        ]),
      ];
      check(screens.length >= 5, `${role} has ${screens.length} screens in the navigation`);
      for (const screen of screens) {
        await page.setViewportSize({ width: first.width, height: first.height });
        // "load": the streamed HTML is complete (every card's answer arrived); then client fetches settle.
        pageErrors.length = 0;
        await page.goto(screen, { waitUntil: "load" });
        for (const size of SIZES) {
          await page.setViewportSize({ width: size.width, height: size.height });
          await laidOut(page);
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
          expect(
            pageErrors.length === 0,
            `${role} ${size.name} ${screen}: ${pageErrors.splice(0).join(" | ")}`,
          );
          const errors = await page.locator('[data-state="error"]').allTextContents();
          expect(errors.length === 0, `${role} ${size.name} ${screen}: ${errors.join(" | ")}`);
          const scroll = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(scroll <= 1, `${role} ${size.name} ${screen}: the page scrolls sideways by ${scroll} px`);
          for (const problem of await chartTextProblems(page))
            expect(false, `${role} ${size.name} ${screen}: ${problem}`);
          if (screen === "/inventory" && size.name === "phone") {
            // The Give back action is reachable without scrolling the table sideways.
            const button = await page.locator('[data-col="give_back"] a').first().boundingBox();
            expect(
              !button || button.x + button.width <= size.width,
              `${role} phone /inventory: Give back ends at ${button && button.x + button.width} px, past the screen`,
            );
          }
          if (screen === "/settings/users") {
            // Dates in the reader's words ("Dec 2, 2026"), as everywhere else, not ISO ("2026-12-02").
            const iso = await page
              .locator("td")
              .evaluateAll((tds) =>
                tds
                  .map((td) => (td as HTMLElement).innerText.trim())
                  .filter((t) => /^\d{4}-\d{2}-\d{2}/.test(t)),
              );
            expect(
              iso.length === 0,
              `${role} ${size.name} ${screen}: ISO dates in the table: ${iso.join(", ")}`,
            );
          }
        }
      }
    } finally {
      await context.close();
    }
  }
  check(failures.length === 0, `${failures.length} problems:\n${failures.join("\n")}`);
}

/**
 * After a resize: the charts have measured their new width (recharts' ResponsiveContainer, through a ResizeObserver)
 * and React has drawn them again — two frames, twice (observer, then the commit it schedules).
 */
async function laidOut(page: Page): Promise<void> {
  for (let i = 0; i < 2; i++)
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    );
}

/**
 * What is wrong with the charts' text as drawn: a label cut short ("Adverti…"), text running past its chart's edge
 * (a campaign marker cut at the right), values written over each other (two bars' labels, or the Trust Index's
 * monthly values on a phone), or an event code in words in a legend ("Dsar requested").
 */
async function chartTextProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    // No named helpers in here: tsx would wrap them in a __name() that the page does not have.
    for (const svg of document.querySelectorAll<SVGSVGElement>("svg.recharts-surface")) {
      const chart = svg.getAttribute("aria-label") ?? "a chart";
      const box = svg.getBoundingClientRect();
      const values: { text: string; r: DOMRect }[] = [];
      for (const t of svg.querySelectorAll<SVGTextElement>("text")) {
        const text = (t.textContent ?? "").trim();
        const r = t.getBoundingClientRect();
        if (!text || r.width === 0 || r.height === 0) continue;
        if (text.includes("…")) problems.push(`"${text}" is cut in ${chart}`);
        if (
          r.left < box.left - 2 ||
          r.right > box.right + 2 ||
          r.top < box.top - 2 ||
          r.bottom > box.bottom + 2
        )
          problems.push(`"${text}" runs past the edge of ${chart}`);
        if (t.matches(".bar-value, .bar-value text, .index-value")) values.push({ text, r });
      }
      for (let i = 0; i < values.length; i++)
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i]!.r;
          const b = values[j]!.r;
          const overlap =
            Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
          if (overlap) problems.push(`"${values[i]!.text}" and "${values[j]!.text}" overlap in ${chart}`);
        }
    }
    for (const item of document.querySelectorAll(".recharts-legend-item-text")) {
      const text = item.textContent ?? "";
      if (/^Dsar\b|\b[a-z]+_[a-z_]+\b/.test(text)) problems.push(`a legend reads "${text}"`);
    }
    return [...new Set(problems)];
  });
}

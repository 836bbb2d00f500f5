import type { Browser, BrowserContext, Page } from "playwright-core";

/** Debian's Chromium, driven by playwright-core (the browser tests and `tl bench reads`). */
export const CHROMIUM = "/usr/lib/chromium/chromium";

/** Playwright is loaded when a browser is launched, not when this module is: every `tl` command imports it through `tl bench reads`, and loading Playwright took 1.1 s of each one's start. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Each screen's first meaningful content: the element that shows its first number (a KPI, a bar, a table row). The
 * browser tests and `tl bench reads` time navigation to it.
 */
export const FIRST_CONTENT: Record<string, string> = {
  "/overview": "[data-kpi] [data-kpi-value]",
  "/purposes": '[data-card="opt-in-by-purpose"] .recharts-bar-rectangle',
  "/reciprocity": '[data-table^="reciprocity_"] tbody tr',
  "/inventory": '[data-table^="data-inventory_"] tbody tr',
  "/churn": "[data-churn-overall]",
  "/events": '[data-table^="event-sources"] tbody tr',
  "/definitions": "#opt-in-rate",
};

/**
 * Records in the page, from navigation start, the animation frame in which its first meaningful content
 * (`FIRST_CONTENT[path]`) is first drawn with a size: a MutationObserver finds it as React inserts it, and the time
 * is taken at the next frame. Polling from Playwright instead ran in the busy page itself (hundreds of ms of
 * DevTools commands per screen) and saw the content up to a second after it was drawn. Add to a context before its
 * pages navigate; read with `firstContentAt`.
 */
export async function markFirstContent(context: BrowserContext): Promise<void> {
  await context.addInitScript((selectors: Record<string, string>) => {
    const w = window as unknown as { __firstContentAt?: number };
    const selector = selectors[location.pathname];
    if (!selector) return;
    const observer = new MutationObserver(() => {
      const found = document.querySelector(selector);
      const box = found?.getBoundingClientRect();
      if (!found || !box || box.width === 0 || box.height === 0 || !found.checkVisibility()) return;
      observer.disconnect();
      requestAnimationFrame(() => (w.__firstContentAt = performance.now()));
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  }, FIRST_CONTENT);
}

/** The page's first meaningful content, in ms from its navigation start (`markFirstContent`); waits for it. */
export async function firstContentAt(page: Page, timeout: number): Promise<number> {
  const at = await page.waitForFunction(
    () => (window as unknown as { __firstContentAt?: number }).__firstContentAt,
    null,
    { timeout, polling: 200 },
  );
  return Math.round((await at.jsonValue()) as number);
}

/** Resolves when nothing on the page is loading any more: no skeleton, nothing marked busy. */
export async function settled(page: Page, timeout = 180_000): Promise<void> {
  await page.waitForFunction(
    () => document.querySelectorAll("[data-loading], [aria-busy='true']").length === 0,
    null,
    { timeout, polling: 200 },
  );
}

/** Signs in through the sign-in form and waits for the page it goes to. */
export async function signIn(page: Page, email: string, password: string, then: string): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(then)}`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === then, { timeout: 60_000 }),
    page.click('button[type="submit"]'),
  ]);
}

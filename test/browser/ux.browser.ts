/**
 * What the users' walk-through found, each checked so it cannot come back (issue 16): the executive's ten-second
 * answer, "not enough data" for an empty period, plain messages for bad parameters, numbers on the charts, readable
 * names, stable colours, the branded 404, the sign-in page, the phone header, the audit log's layout, the snapshot.
 */
import type { BrowserContext, Page } from "playwright-core";
import type { OptInResponse } from "@/lib/metrics/types";
import { DEMO_PASSWORD } from "@/lib/users/demo";
import { api, check, count, pct, pick, settled, signIn, viewOf, type Ctx } from "./dashboard/support";

const METRICS = "/api/v1/metrics";

async function as(
  ctx: Ctx,
  role: string,
  then: string,
  viewport = { width: 1440, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await ctx.browser.newContext({ baseURL: ctx.baseUrl, locale: "en-US", viewport });
  context.setDefaultNavigationTimeout(180_000);
  const page = await context.newPage();
  await signIn(page, `${role}@demo.trustledger.test`, DEMO_PASSWORD, then);
  return { context, page };
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? "").replace(/\s+/g, " ").trim();

/** The executive's Overview: the Trust Index leads the KPI row with its scale, the score says its scale, each KPI shows its counts. */
async function executiveOverview(ctx: Ctx): Promise<void> {
  const { context, page } = await as(ctx, "executive", "/overview");
  await settled(page);
  const first = await page.locator(".kpis [data-kpi]").first().getAttribute("data-kpi");
  check(first === "trust-index", `the first KPI is ${first}, not the Trust Index`);
  check(!(await page.locator(".menu-button").isVisible()), "a laptop shows the phone's Menu button");
  check(
    (await text(page, '[data-kpi="trust-index"] [data-kpi-scale]')) === "of 100",
    "the Trust Index tile does not say its scale",
  );
  check(
    (await text(page, '[data-kpi="trust-score"] [data-kpi-scale]')).includes("−100 to 100"),
    "the trust score does not say its scale",
  );
  // "How this number was made": the real counts behind the opt-in rate.
  const view = pick(await viewOf(page), "from", "to", "granularity");
  const optIn = await api<OptInResponse>(page, `${METRICS}/opt-in`, view);
  const granted = optIn.purposes.reduce((n, p) => n + p.granted, 0);
  const answered = optIn.purposes.reduce((n, p) => n + p.answered, 0);
  await page.click('[data-kpi="opt-in-rate"] [data-kpi-how] summary');
  const counts = await text(page, '[data-kpi="opt-in-rate"] [data-kpi-counts]');
  check(
    counts.startsWith(`${count(granted)} of ${count(answered)} answers`),
    `the opt-in tile explains itself as "${counts}"`,
  );
  // What to do next, and no link to a screen the executive may not open.
  check((await page.locator("[data-next-step]").count()) > 0, "the Overview has no 'what to do next'");
  for (const href of await page
    .locator('#main a[href^="/inventory"], #main a[href^="/settings"], #main a[href^="/events"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
    throw new Error(`the executive's Overview links to ${href}, which answers 403`);
  }
  // The index chart's axis is zoomed to its range, not 0–100.
  const axis =
    (await page
      .locator('[data-card="trust-index"] [aria-label^="Trust Index by month"]')
      .first()
      .getAttribute("aria-label")) ?? "";
  check(!axis.includes("from 0 to 100"), `the Trust Index is drawn on 0–100: ${axis}`);
  // The snapshot: dated, the same figures, definitions as footnotes.
  await page.click("[data-snapshot-open]");
  await page.waitForURL(/\/overview\/snapshot\?/);
  const snapshot = page.locator("[data-snapshot]");
  await snapshot.waitFor({ timeout: 120_000 });
  check(
    (await text(page, '[data-table="snapshot-kpis"] tr[data-row="opt-in-rate"] [data-col="now"]')) ===
      pct(answered ? granted / answered : null),
    "the snapshot's opt-in rate differs from the API",
  );
  check(
    (await page.locator("[data-note]").count()) === 7,
    "the snapshot does not footnote every KPI's definition",
  );
  check((await text(page, "[data-snapshot-period]")).includes("computed"), "the snapshot is not dated");
  // Saved: a link of its own whose numbers are those of the moment it was saved, listed under live snapshots.
  const liveUrl = page.url();
  const liveOptIn = await text(
    page,
    '[data-table="snapshot-kpis"] tr[data-row="opt-in-rate"] [data-col="now"]',
  );
  await page.click("[data-snapshot-save]");
  await page.waitForURL(/\/overview\/snapshot\/\d+$/, { timeout: 120_000 });
  await page.locator('[data-snapshot="saved"]').waitFor();
  check(
    (await text(page, '[data-table="snapshot-kpis"] tr[data-row="opt-in-rate"] [data-col="now"]')) ===
      liveOptIn,
    "the saved snapshot's opt-in rate differs from the live one it was saved from",
  );
  check(
    (await text(page, "[data-snapshot-period]")).includes("Saved by"),
    "the saved snapshot does not say who saved it",
  );
  const savedUrl = new URL(page.url()).pathname;
  await page.goto(liveUrl);
  await page.locator("[data-saved-snapshots]").waitFor({ timeout: 120_000 });
  check(
    (await page.locator(`[data-saved-snapshots] a[href="${savedUrl}"]`).count()) === 1,
    "the live snapshot does not list the saved one",
  );
  await context.close();
}

/** A period without data says "not enough data", never a number built from the configuration alone. */
async function emptyPeriod(ctx: Ctx): Promise<void> {
  const { context, page } = await as(ctx, "admin", "/definitions");
  await page.goto("/overview?from=2020-01-01&to=2020-04-01&granularity=month");
  await settled(page);
  for (const id of ["trust-index", "opt-in-rate", "reciprocity", "trust-score"]) {
    const shown = await text(page, `[data-kpi="${id}"] [data-kpi-value]`);
    check(shown === "Not enough data", `KPI ${id} in an empty period shows "${shown}"`);
  }
  check(
    (await text(page, '[data-card="trust-index"] [data-state="empty"]')).includes("Not enough data"),
    "the Trust Index chart of an empty year does not say why it is empty",
  );
  // The findings say there was nothing, instead of a clean bill of health for data that does not exist.
  for (const [id, said] of [
    ["dormant-field", "No customer data was held at the end of the period."],
    ["ask-when-needed", "No customer data was first collected in this period."],
  ] as const) {
    const shown = await text(page, `[data-finding="${id}"]`);
    check(shown.startsWith(said), `finding ${id} in an empty period says "${shown}"`);
  }
  await context.close();
}

/** A filter the screen does not apply (carried from Purposes by the navigation) is said, not silently ignored. */
async function filterNotApplied(ctx: Ctx): Promise<void> {
  const { context, page } = await as(ctx, "marketer", "/definitions");
  await page.goto("/overview?purpose=ads");
  await settled(page);
  const note = page.locator("[data-filters-not-applied]");
  check(
    (await note.getAttribute("data-filters-not-applied")) === "purpose" &&
      ((await note.textContent()) ?? "").includes("not applied on this screen"),
    `the Overview does not say that purpose=ads is not applied: ${await note.textContent()}`,
  );
  await page.goto("/purposes?purpose=ads");
  await settled(page);
  check(
    (await page.locator("[data-filters-not-applied]").count()) === 0,
    "Purposes says it ignores its purpose",
  );
  await context.close();
}

/** A bad parameter gives a plain message, and the rest of the view is kept. */
async function badParameters(ctx: Ctx): Promise<void> {
  const { context, page } = await as(ctx, "marketer", "/definitions");
  // The page at `url` says `said` for `key`, no card errs, and each select keeps its value in `kept` ("" = All).
  const saidAndKept = async (url: string, key: string, said: string, kept: Record<string, string>) => {
    await page.goto(url);
    await settled(page);
    check((await text(page, `[data-problem="${key}"]`)).includes(said), `${url} does not say “${said}”`);
    const errors = await page.locator('[data-state="error"]').allTextContents();
    check(errors.length === 0, `a card shows an error on ${url}: ${errors.join(" | ")}`);
    for (const [name, value] of Object.entries(kept))
      check(
        (await page.locator(`select[name="${name}"]`).inputValue()) === value,
        `${url}: the ${name} filter is not “${value}”`,
      );
  };
  await saidAndKept("/purposes?purpose=nope&channel=app", "purpose", "There is no purpose “nope”", {
    channel: "app",
  });
  check(
    (await page.locator('[data-table^="opt-in-by-purpose_"] tbody tr').count()) > 1,
    "the opt-in card lost its purposes",
  );
  for (const [query, key] of [
    ["from=2026-13-01", "from"],
    ["from=2026-05-01&to=2026-04-01", "period"],
    ["granularity=hour", "granularity"],
  ] as const) {
    await page.goto(`/overview?${query}&region=DE`);
    await settled(page);
    check(
      (await page.locator(`[data-problem="${key}"]`).count()) === 1,
      `/overview?${query} says nothing about ${key}`,
    );
    check(
      (await page.locator('select[name="region"]').inputValue()) === "DE",
      `/overview?${query} lost the region filter`,
    );
  }
  // A region no event has (a link typed with UK where the events say GB): the numbers are every region's.
  await saidAndKept(
    "/overview?region=UK&channel=web",
    "region",
    "No event in this workspace has the region “UK”",
    {
      region: "",
      channel: "web",
    },
  );
  // A journey step no consent event was asked at, on Purposes.
  await saidAndKept(
    "/purposes?context=nowhere&channel=web",
    "context",
    "was asked at the journey step “nowhere”",
    {
      context: "",
      channel: "web",
    },
  );
  await context.close();
}

/** The marketer reads the numbers on the charts, with names instead of codes and a purpose's colour kept under a filter. */
async function chartsShowNumbers(ctx: Ctx): Promise<void> {
  const { context, page } = await as(ctx, "marketer", "/purposes");
  await settled(page);
  const view = pick(await viewOf(page), "from", "to", "granularity");
  const optIn = await api<OptInResponse>(page, `${METRICS}/opt-in`, view);
  // Every text of the chart: a rate such as 47.7% is no axis tick, so finding it means its bar is labelled.
  await page.locator('[data-card="opt-in-by-purpose"] svg text').first().waitFor({ timeout: 20_000 });
  const labels = await page.locator('[data-card="opt-in-by-purpose"] svg text').allTextContents();
  for (const p of optIn.purposes.filter((x) => x.opt_in_rate !== null))
    check(
      labels.includes(pct(p.opt_in_rate)),
      `the opt-in bar of ${p.purpose} has no label ${pct(p.opt_in_rate)}: ${labels.join(" ")}`,
    );
  // The chart's axis and its table (folded under it) name the channels; the CSV keeps the keys.
  const ticks = (await page.locator('[data-card="opt-in-breakdown"]').textContent()) ?? "";
  check(
    ticks.includes("Call center") && !ticks.includes("call_center"),
    `channels show as codes: ${ticks.slice(0, 300)}`,
  );
  // A bar of fewer than 30 answers is left out of the chart and named under it (the table keeps it).
  const byChannel = await api<OptInResponse>(page, `${METRICS}/opt-in`, { ...view, breakdown: "channel" });
  const thin = byChannel.purposes.flatMap((p) =>
    (p.breakdown ?? []).filter((b) => b.answered > 0 && b.answered < 30),
  ).length;
  const note = page.locator('[data-card="opt-in-breakdown"] [data-thin-bars]');
  const named = (await note.count()) ? await note.getAttribute("data-thin-bars") : null;
  check(
    (named === null ? 0 : Number(named)) === thin,
    `the breakdown names ${named ?? "no"} thin bars, the API has ${thin} cells under 30 answers`,
  );
  // A trend point of fewer than 30 answers is a hollow ring, and the chart counts them under it.
  const thinPoints = optIn.purposes
    .filter((p) => p.answered > 0)
    .flatMap((p) => p.series.filter((x) => x.opt_in_rate !== null && x.answered < 30)).length;
  const trendNote = page.locator('[data-card="opt-in-trend"] [data-thin-points]');
  const counted = (await trendNote.count()) ? Number(await trendNote.getAttribute("data-thin-points")) : 0;
  const rings = await page.locator('[data-card="opt-in-trend"] circle[data-thin-point]').count();
  check(
    counted === thinPoints && rings === thinPoints,
    `the trend marks ${rings} rings and counts ${counted}; the API has ${thinPoints} points under 30 answers`,
  );
  const stroke = (p: Page) =>
    p
      .locator('[data-card="opt-in-trend"] .recharts-line path.recharts-curve')
      .evaluateAll((ls) => ls.map((l) => l.getAttribute("stroke")));
  const order = optIn.purposes.filter((p) => p.answered > 0).map((p) => p.purpose);
  const all = await stroke(page);
  const last = order.at(-1) ?? "";
  await page.goto(`/purposes?${new URLSearchParams({ ...view, purpose: last })}`);
  await settled(page);
  await page
    .locator('[data-card="opt-in-trend"] .recharts-line path.recharts-curve')
    .first()
    .waitFor({ timeout: 20_000 });
  const filtered = await stroke(page);
  check(
    filtered.length === 1 && filtered[0] === all[order.length - 1],
    `${last} changes colour when filtered: ${all[order.length - 1]} → ${filtered[0]}`,
  );
  await context.close();
}

/**
 * A screen's first card is drawn before the cards under it (`DataView`'s `first`): on Purposes the opt-in bars and
 * the opt-in trend come from the same answer, yet the bars reach the page in an earlier change of it than the trend's
 * lines, which wait for React's background render. Counted in the page, in the order its changes happen.
 */
async function firstCardFirst(ctx: Ctx): Promise<void> {
  const { context, page } = await as(ctx, "marketer", "/definitions");
  await page.addInitScript(() => {
    const marks: Record<string, number> = {};
    (window as unknown as { __drawn: Record<string, number> }).__drawn = marks;
    const wanted = {
      bars: '[data-card="opt-in-by-purpose"] .recharts-bar-rectangle path',
      trend: '[data-card="opt-in-trend"] .recharts-line path.recharts-curve',
    };
    let change = 0;
    const observer = new MutationObserver(() => {
      change++;
      for (const [name, selector] of Object.entries(wanted))
        if (marks[name] === undefined && document.querySelector(selector)) marks[name] = change;
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  });
  // A view of its own (channel=app, 8 weeks), so nothing of it is cached from before.
  await page.goto("/purposes?channel=app&granularity=week&from=2026-09-07&to=2026-11-02");
  await settled(page);
  await page.locator('[data-card="opt-in-trend"] .recharts-line path.recharts-curve').first().waitFor();
  const drawn = await page.evaluate(() => (window as unknown as { __drawn: Record<string, number> }).__drawn);
  check(
    drawn.bars !== undefined && drawn.trend !== undefined && drawn.bars < drawn.trend,
    `the opt-in bars were not drawn before the trend under them: ${JSON.stringify(drawn)}`,
  );
  await context.close();
}

/** Outside the dashboard: the 404 is branded with a way back; sign-in names the product and helps a forgotten password. */
async function roughEdges(ctx: Ctx): Promise<void> {
  const context = await ctx.browser.newContext({ baseURL: ctx.baseUrl, locale: "en-US" });
  const page = await context.newPage();
  await page.goto("/signin");
  check((await text(page, "main")).startsWith("Trustledger"), "the sign-in page does not name the product");
  await page.click("[data-forgot-password] summary");
  check(
    (await text(page, "[data-forgot-password]")).includes("admin"),
    "the sign-in page says nothing about a forgotten password",
  );
  await signIn(page, "privacy@demo.trustledger.test", DEMO_PASSWORD, "/definitions");
  const res = await page.goto("/no-such-screen");
  check(res?.status() === 404, `an unknown path answered ${res?.status()}`);
  check(
    (await page.locator('[data-plain-page="404"] a[href="/overview"]').count()) >= 1,
    "the 404 page has no way back to the overview",
  );
  check(
    (await text(page, '[data-plain-page="404"]')).startsWith("Trustledger"),
    "the 404 page is not branded",
  );
  // The audit log's dates stay on one line at 1366 px, and its details wrap inside their cell.
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto("/settings/audit");
  const when = await page.locator('[data-table="audit-log"] tbody th').first().boundingBox();
  check(when && when.height < 40, `an audit date wraps: ${when?.height} px tall`);
  const overflow = await page.evaluate(() => {
    const card = document.querySelector('[data-card="audit"]');
    return card ? card.scrollWidth - card.clientWidth : 0;
  });
  check(overflow <= 0, `the audit log overflows its card by ${overflow} px`);
  check(
    (await page.locator('[data-table="audit-log"] code:has-text("{")').count()) === 0,
    "the audit log shows raw JSON",
  );
  await context.close();
}

/** On a phone the header is one line: the KPIs start in the first screen, and the menu opens on demand. */
async function phoneHeader(ctx: Ctx): Promise<void> {
  const { context, page } = await as(ctx, "executive", "/overview", { width: 390, height: 844 });
  await settled(page);
  const header = await page.locator(".sidebar-col").boundingBox();
  check(header && header.height <= 80, `the phone header is ${header?.height} px tall`);
  const kpi = await page.locator('[data-kpi="trust-index"]').boundingBox();
  check(
    kpi && kpi.y + kpi.height < 844,
    `the Trust Index tile starts at ${kpi?.y} px, below the first screen`,
  );
  check(
    !(await page.locator('nav a[href^="/overview"]:has-text("Overview")').isVisible()),
    "the navigation is unfolded on a phone",
  );
  await page.click(".menu-button");
  check(await page.locator('nav a:has-text("Churn")').isVisible(), "the menu does not open");
  await page.keyboard.press("Escape");
  check(!(await page.locator('nav a:has-text("Churn")').isVisible()), "Escape does not fold the open menu");
  await page.click(".menu-button");
  // The filters fold under one line that says what is shown; the first chart starts on the first screen.
  await page.goto("/purposes?channel=web");
  await settled(page);
  check(!(await page.locator('select[name="region"]').isVisible()), "the filters are unfolded on a phone");
  const summary = await text(page, "[data-filters-summary]");
  check(summary.includes("Web") && summary.includes("every region"), `the filter summary reads "${summary}"`);
  const chart = await page.locator('[data-card="opt-in-by-purpose"]').boundingBox();
  check(chart && chart.y < 500, `the first chart starts at ${chart?.y} px on a phone`);
  await page.click(".filters-toggle");
  check(await page.locator('select[name="region"]').isVisible(), "Change does not unfold the filters");
  await context.close();
}

export async function run(ctx: Ctx): Promise<void> {
  await executiveOverview(ctx);
  await emptyPeriod(ctx);
  await filterNotApplied(ctx);
  await badParameters(ctx);
  await chartsShowNumbers(ctx);
  await firstCardFirst(ctx);
  await roughEdges(ctx);
  await phoneHeader(ctx);
}

/**
 * Opt-out channels, requests, suppression, control effect, first use and fair exchange as each role sees them on
 * the seeded demo: the new screens and cards drawn (no empty chart), their numbers against the API, the suppression
 * CSV download, and who may open what (marketers see Suppression but not Requests).
 */
import path from "node:path";
import type { Page } from "playwright-core";
import type {
  ControlEffectResponse,
  DsarResponse,
  FirstUseResponse,
  WithdrawalsResponse,
} from "@/lib/metrics/types";
import { sourceLabel } from "@/lib/metrics/sources";
import type { SuppressionSummary } from "@/lib/suppression/summary";
import { DEMO_PASSWORD } from "@/lib/users/demo";
import {
  api,
  check,
  count,
  downloadCsv,
  expectCell,
  pct,
  pick,
  settled,
  signIn,
  viewOf,
  type Ctx,
} from "./dashboard/support";

async function shoot(page: Page, ctx: Ctx, name: string, card?: string): Promise<void> {
  const target = card ? page.locator(`[data-card="${card}"]`) : page;
  await target.screenshot({
    path: path.join(ctx.screenshotsDir, `exchange-${name}.png`),
    ...(card ? {} : { fullPage: true }),
  });
}

/** A card drew its chart: bars or lines with a size, not an empty frame. */
async function drawn(page: Page, card: string): Promise<void> {
  const marks = page.locator(
    `[data-card="${card}"] .recharts-bar-rectangle path, [data-card="${card}"] .recharts-line-curve`,
  );
  await marks.first().waitFor({ state: "visible", timeout: 180_000 });
  check((await marks.count()) > 0, `${card}: the chart is empty`);
}

async function visit(page: Page, screen: string, cards: string[]): Promise<Record<string, string>> {
  await page.goto(screen, { waitUntil: "commit" });
  await settled(page);
  for (const card of cards) await drawn(page, card);
  return screen === "/suppression" ? {} : pick(await viewOf(page), "from", "to", "granularity");
}

async function asAdmin(page: Page, ctx: Ctx): Promise<void> {
  // Purposes: opt-outs by channel, named as people know them.
  const view = await visit(page, "/purposes", ["opt-outs-by-source"]);
  const withdrawals = await api<WithdrawalsResponse>(page, "/api/v1/metrics/withdrawals", view);
  const named = Object.keys(withdrawals.sources).filter((s) =>
    [
      "dmachoice",
      "do_not_call",
      "daa_webchoices",
      "daa_appchoices",
      "nai_optout",
      "do_not_sell",
      "gpc",
    ].includes(s),
  );
  check(
    named.length >= 5,
    `the demo's opt-outs come through too few named channels: ${Object.keys(withdrawals.sources).join(", ")}`,
  );
  const card = (await page.locator('[data-card="opt-outs-by-source"]').textContent()) ?? "";
  for (const s of named)
    check(card.includes(sourceLabel(s)), `Opt-outs by source does not name ${sourceLabel(s)}`);
  check(!card.includes("daa_webchoices"), "Opt-outs by source shows a raw source code");
  const ads = withdrawals.purposes.find((p) => p.purpose === "ads");
  const [adsSource, adsCount] = Object.entries(ads?.by_source ?? {}).sort((a, b) => b[1] - a[1])[0] ?? [];
  check(adsSource && adsCount, "no opt-outs of ads in the demo");
  await expectCell(page, "opt-outs-by-source_", `ads|${adsSource}`, "withdrawn", count(adsCount));
  await shoot(page, ctx, "purposes-opt-outs", "opt-outs-by-source");

  // Reciprocity: fair exchange.
  await visit(page, "/reciprocity", ["fair-exchange"]);
  await shoot(page, ctx, "reciprocity-fair-exchange", "fair-exchange");

  // Churn: control effect, with its interval and the caution.
  await visit(page, "/churn", ["control-effect"]);
  const effect = await api<ControlEffectResponse>(
    page,
    "/api/v1/metrics/control-effect",
    pick(view, "from", "to"),
  );
  const summary = (await page.locator("[data-control-summary]").textContent()) ?? "";
  check(
    summary.includes("association, not cause") && summary.includes("95% interval"),
    `control effect summary: ${summary}`,
  );
  await expectCell(
    page,
    "control-effect_",
    "used_control",
    "churn_rate",
    pct(effect.used_control.churn_rate),
  );
  await expectCell(page, "control-effect_", "no_control", "churn_rate", pct(effect.no_control.churn_rate));
  await shoot(page, ctx, "churn-control-effect", "control-effect");

  // Data inventory: first use, with the "ask when needed" finding.
  await visit(page, "/inventory", ["first-use"]);
  const firstUse = await api<FirstUseResponse>(page, "/api/v1/metrics/first-use", pick(view, "from", "to"));
  const birthday = firstUse.fields.find((f) => f.field === "birthday");
  check(birthday && birthday.by_context.signup, "the demo collects no birthday at sign-up");
  await expectCell(
    page,
    "first-use_",
    "birthday|signup",
    "never_used",
    count(birthday.by_context.signup.never_used),
  );
  const finding = (await page.locator("[data-ask-when-needed]").textContent()) ?? "";
  check(finding.includes("Ask when needed"), `first use shows no "ask when needed" finding: ${finding}`);
  await shoot(page, ctx, "inventory-first-use", "first-use");

  // Requests.
  const requestsView = await visit(page, "/requests", [
    "requests-over-time",
    "requests-by-type",
    "requests-on-time",
  ]);
  const dsar = await api<DsarResponse>(page, "/api/v1/metrics/dsar", requestsView);
  check(
    dsar.requests.total.opened > 0 && dsar.requests.total.due > dsar.requests.total.on_time,
    `the demo has no late data requests: ${JSON.stringify({ ...dsar.requests.total, series: undefined })}`,
  );
  for (const type of ["access", "deletion", "portability"] as const)
    await expectCell(page, "requests-by-type_", type, "opened", count(dsar.requests[type].opened));
  const kpis = (await page.locator("[data-requests-kpis]").textContent()) ?? "";
  check(
    kpis.includes(pct(dsar.requests.total.on_time_rate)),
    `the On time tile does not show ${pct(dsar.requests.total.on_time_rate)}: ${kpis}`,
  );
  await shoot(page, ctx, "requests");

  // Suppression: counts, the CSV download, how to sync.
  await suppression(page, ctx, "admin");

  // Overview's findings draw on them.
  await page.goto("/overview", { waitUntil: "commit" });
  await settled(page);
  for (const id of ["opt-out-channel", "late-requests", "control-effect", "ask-when-needed"]) {
    // Each finding fills in as its answer streams in.
    const finding = page.locator(`[data-finding="${id}"]`);
    await page.waitForFunction(
      (el) => !!el && !/Loading/.test(el.textContent ?? ""),
      await finding.elementHandle(),
      { timeout: 180_000 },
    );
    const text = ((await finding.textContent()) ?? "").trim();
    check(text.length > 40, `Overview finding ${id} is empty: ${text}`);
  }
  await shoot(page, ctx, "overview-findings");

  await page.goto("/definitions");
  for (const id of [
    "opt-outs-by-source",
    "suppression-list",
    "dsar",
    "dsar-on-time",
    "control-effect",
    "first-use",
    "fair-exchange",
  ]) {
    check((await page.locator(`section#${id}`).count()) === 1, `/definitions has no #${id}`);
  }
}

async function suppression(page: Page, ctx: Ctx, role: string): Promise<void> {
  await visit(page, "/suppression", ["suppression-lists", "suppression-by-source"]);
  const summary = await api<SuppressionSummary>(page, "/api/v1/insights/suppression-summary", {});
  const ads = summary.purposes.find((p) => p.purpose === "ads");
  check(ads && ads.count > 0, "the demo's ads suppression list is empty");
  await expectCell(page, "suppression-counts_", "ads", "count", count(ads.count));
  check(
    ((await page.locator("[data-sync-help]").textContent()) ?? "").includes("changed_since"),
    "Suppression does not say how to sync",
  );
  const csv = await downloadCsv(page, page.locator('[data-download="ads"]'));
  check(
    csv.rows[0]?.join(",") === "subject,state,since,source",
    `suppression CSV header: ${csv.rows[0]?.join(",")}`,
  );
  // The list is read now, the counts a moment before: the demo does not change in between.
  check(
    csv.rows.length - 1 === ads.count,
    `the ads CSV has ${csv.rows.length - 1} subjects, the screen says ${ads.count}`,
  );
  await shoot(page, ctx, `suppression-${role}`);
}

/** Who may open what: marketers read suppression lists, not data requests; executives neither; the privacy team both. */
async function roles(ctx: Ctx): Promise<void> {
  for (const [role, allowed, refused] of [
    ["marketer", ["/suppression"], ["/requests"]],
    ["executive", [], ["/suppression", "/requests"]],
    ["privacy", ["/suppression", "/requests"], []],
  ] as const) {
    const context = await ctx.browser.newContext({
      baseURL: ctx.baseUrl,
      locale: "en-US",
      acceptDownloads: true,
      viewport: { width: 1440, height: 900 },
    });
    context.setDefaultNavigationTimeout(180_000);
    const page = await context.newPage();
    await signIn(page, `${role}@demo.trustledger.test`, DEMO_PASSWORD, "/definitions");
    const nav = (await page.locator('nav[aria-label="Main"]').textContent()) ?? "";
    for (const p of allowed)
      check(
        nav.includes(p === "/suppression" ? "Suppression" : "Requests"),
        `${role}: the sidebar does not offer ${p}: ${nav}`,
      );
    for (const p of refused) {
      check(
        !nav.includes(p === "/suppression" ? "Suppression" : "Requests"),
        `${role}: the sidebar offers ${p}: ${nav}`,
      );
      const res = await page.goto(p);
      check(res?.status() === 403, `${role}: ${p} gave ${res?.status()}, expected 403`);
      if (p === "/suppression") {
        const list = await page.request.get("/api/v1/suppression?purpose=ads");
        check(list.status() === 403, `${role}: the suppression API gave ${list.status()}`);
      }
    }
    if (role === "marketer") await suppression(page, ctx, role);
    if (role === "privacy") {
      await visit(page, "/requests", ["requests-over-time"]);
      await shoot(page, ctx, "requests-privacy");
    }
    await context.close();
  }
}

export async function run(ctx: Ctx): Promise<void> {
  const context = await ctx.browser.newContext({
    baseURL: ctx.baseUrl,
    locale: "en-US",
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
  });
  try {
    context.setDefaultNavigationTimeout(180_000);
    const page = await context.newPage();
    await signIn(page, "admin@demo.trustledger.test", DEMO_PASSWORD, "/definitions");
    await asAdmin(page, ctx);
  } finally {
    await context.close();
  }
  await roles(ctx);
}

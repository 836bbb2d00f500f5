/**
 * Access control in the browser: security headers, sign-in and sign-out for every demo role, what each role
 * sees and is refused, one-time secrets in Settings, an invitation redeemed with a new password, an admin's reset of a
 * member's password, the audit log, a wrong password, and the back-off of repeated failures.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { DEFAULT_TRUST_WEIGHTS } from "@/lib/settings/weights";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/users/demo";
import type { BrowserTestContext as Ctx } from "./run";

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const REQUIRED_HEADERS: [string, (v: string) => boolean][] = [
  [
    "content-security-policy",
    (v) =>
      v.includes("frame-ancestors 'none'") &&
      v.includes("default-src 'self'") &&
      v.includes("object-src 'none'"),
  ],
  ["x-content-type-options", (v) => v === "nosniff"],
  ["x-frame-options", (v) => v === "DENY"],
  ["referrer-policy", (v) => v === "strict-origin-when-cross-origin"],
];

async function checkSecurityHeaders(baseUrl: string): Promise<void> {
  for (const p of ["/signin", "/settings/users", "/api/health", "/api/settings/keys", "/no-such-page"]) {
    const res = await fetch(`${baseUrl}${p}`, { redirect: "manual" });
    for (const [name, ok] of REQUIRED_HEADERS) {
      const value = res.headers.get(name);
      check(value !== null && ok(value), `${p}: header ${name} is ${JSON.stringify(value)}`);
    }
    check(!res.headers.has("x-powered-by"), `${p}: X-Powered-By is sent`);
  }
}

async function newPage(
  ctx: Ctx,
  headers?: Record<string, string>,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await ctx.browser.newContext({
    baseURL: ctx.baseUrl,
    extraHTTPHeaders: headers,
    viewport: { width: 1360, height: 900 },
  });
  return { context, page: await context.newPage() };
}

/** Signs in from /signin; `then` is where the page goes afterwards (the callbackUrl). */
async function submitSignIn(page: Page, email: string, password: string, then?: string): Promise<void> {
  if (!page.url().includes("/signin"))
    await page.goto(then ? `/signin?callbackUrl=${encodeURIComponent(then)}` : "/signin");
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
}

async function signInError(page: Page): Promise<string> {
  const alert = page.locator('[data-testid="signin-error"]');
  await alert.waitFor({ timeout: 15_000 });
  return (await alert.textContent())?.trim() ?? "";
}

async function status(page: Page, p: string): Promise<number> {
  return (await page.request.get(p, { maxRedirects: 0 })).status();
}

/** Visits a settings screen: "ok" when it renders, "403" for the forbidden page. */
async function screen(page: Page, p: string, ready: string): Promise<"ok" | "403"> {
  const res = await page.goto(p);
  if (res?.status() === 403) {
    await page.locator(`[data-plain-page="403"]`).getByText("Your role does not open this page").waitFor();
    return "403";
  }
  await page.locator(ready).first().waitFor({ timeout: 15_000 });
  return "ok";
}

const SCREENS: { path: string; ready: string; roles: string[] }[] = [
  { path: "/settings/purposes", ready: '[data-table="settings-purposes"]', roles: ["admin"] },
  { path: "/settings/users", ready: '[data-table="settings-users"]', roles: ["admin"] },
  { path: "/settings/keys", ready: 'form[aria-label="Create an API key"]', roles: ["admin"] },
  { path: "/settings/webhook", ready: 'form[aria-label="Webhook"]', roles: ["admin"] },
  { path: "/settings/trust-index", ready: 'form[aria-label="Trust Index weights"]', roles: ["admin"] },
  { path: "/settings/audit", ready: '[data-table="audit-log"]', roles: ["admin", "privacy"] },
];

const APIS: { path: string; roles: string[] }[] = [
  { path: "/api/settings/users", roles: ["admin"] },
  { path: "/api/settings/keys", roles: ["admin"] },
  { path: "/api/settings/catalog", roles: ["admin"] },
  { path: "/api/settings/trust-weights", roles: ["admin"] },
  { path: "/api/settings/audit", roles: ["admin", "privacy"] },
];

async function checkRole(ctx: Ctx, user: (typeof DEMO_USERS)[number]): Promise<void> {
  const { context, page } = await newPage(ctx);
  try {
    // /definitions is open to every role (the overview's metrics belong to other tests): read the sidebar there.
    await submitSignIn(page, user.email, DEMO_PASSWORD, "/definitions");
    await page.waitForURL((u) => u.pathname === "/definitions", { timeout: 30_000 });
    await page.locator("nav.sidebar").waitFor({ timeout: 15_000 });
    const label = user.email.split("@")[0];
    await page.screenshot({ path: path.join(ctx.screenshotsDir, `auth-${label}-home.png`), fullPage: false });
    const settingsLinks = await page.locator('nav a[href="/settings"]').count();
    check(
      settingsLinks > 0 === (user.role === "admin"),
      `${user.email}: a Settings link is ${settingsLinks ? "shown" : "missing"}`,
    );
    const auditLinks = await page.locator('nav a[href="/settings/audit"]').count();
    check(
      auditLinks > 0 === (user.role === "privacy"),
      `${user.email}: an Audit log link is ${auditLinks ? "shown" : "missing"}`,
    );

    for (const s of SCREENS) {
      const expected = s.roles.includes(user.role) ? "ok" : "403";
      const got = await screen(page, s.path, s.ready);
      check(got === expected, `${user.email} on ${s.path}: expected ${expected}, got ${got}`);
    }
    await page.goto(user.role === "admin" || user.role === "privacy" ? "/settings/audit" : "/settings/users");
    await page.screenshot({
      path: path.join(ctx.screenshotsDir, `auth-${label}-settings.png`),
      fullPage: false,
    });
    for (const api of APIS) {
      const expected = api.roles.includes(user.role) ? 200 : 403;
      const got = await status(page, api.path);
      check(got === expected, `${user.email}: GET ${api.path} → ${got}, expected ${expected}`);
    }
    const crossSite = await page.request.post("/api/settings/keys", {
      data: { scopes: ["read"] },
      headers: { origin: "https://evil.example" },
    });
    check(crossSite.status() === 403, `${user.email}: a cross-site POST got ${crossSite.status()}`);

    if (user.role === "admin") await adminJourney(ctx, page);

    await page.goto("/settings");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/signin"), { timeout: 15_000 });
    await page.goto("/settings/audit");
    check(
      new URL(page.url()).pathname === "/signin",
      `${user.email}: after signing out /settings/audit shows ${page.url()}`,
    );
    check(
      (await status(page, "/api/settings/audit")) === 401,
      `${user.email}: the API still answers after signing out`,
    );
  } finally {
    await context.close();
  }
}

/** Creates a key and invites a user (each secret shown once), saves weights, and finds it all in the audit log. */
async function adminJourney(ctx: Ctx, page: Page): Promise<void> {
  await page.goto("/settings/keys");
  await page.fill('form[aria-label="Create an API key"] input[name="name"]', "browser test key");
  await page.click('form[aria-label="Create an API key"] button[type="submit"]');
  const key =
    (await page.locator('[data-testid="new-api-key"] code').textContent({ timeout: 15_000 }))?.trim() ?? "";
  check(/^tl_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/.test(key), `the new API key looks wrong: ${key}`);
  await page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-admin-key-created.png") });
  await page.reload();
  check(!(await page.content()).includes(key), "the full API key is shown again after a reload");

  await page.goto("/settings/users");
  const invitee = `browser-${Date.now()}@demo.trustledger.test`;
  await page.fill('form[aria-label="Invite a user"] input[name="email"]', invitee);
  await page.selectOption('form[aria-label="Invite a user"] select[name="role"]', "executive");
  await page.click('form[aria-label="Invite a user"] button[type="submit"]');
  const password =
    (await page.locator('[data-testid="one-time-password"] code').textContent({ timeout: 15_000 }))?.trim() ??
    "";
  check(password.length === 20, `the one-time password looks wrong: ${password}`);
  await page.locator(`[data-table="settings-invitations"] th:text("${invitee}")`).waitFor();
  await page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-admin-users.png"), fullPage: true });
  await page.goto("/settings/purposes");
  await page.locator('[data-table="settings-fields"]').waitFor();
  await page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-admin-purposes.png"), fullPage: true });
  // Saving a declared purpose unchanged exercises the form without moving the demo's numbers.
  await page.click('button[aria-label="Edit purpose ads"]');
  check(
    (await page.inputValue('form[aria-label="purpose"] input[name="key"]')) === "ads",
    "the purpose form is not filled in",
  );
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/settings/purposes") && r.status() === 200),
    page.click('form[aria-label="purpose"] button[type="submit"]'),
  ]);
  await page.locator('form[aria-label="purpose"]').waitFor({ state: "detached" });

  await page.goto("/settings/trust-index");
  await page.fill('input[name="survey"]', "0.3");
  await page.click('form[aria-label="Trust Index weights"] button[type="submit"]');
  await page.getByText("Saved: the Trust Index uses these weights").waitFor();
  // Put the defaults back: other browser tests read the Trust Index.
  await page.click('button:text("Reset to defaults")');
  await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith("/api/settings/trust-weights") && r.request().method() === "PUT",
    ),
    page.click('form[aria-label="Trust Index weights"] button[type="submit"]'),
  ]);
  const weights = (await (await page.request.get("/api/settings/trust-weights")).json()) as Record<
    string,
    number
  >;
  check(
    weights.survey === DEFAULT_TRUST_WEIGHTS.survey && weights.consent === DEFAULT_TRUST_WEIGHTS.consent,
    `the weights were not reset: ${JSON.stringify(weights)}`,
  );
  const bad = await page.request.put("/api/settings/trust-weights", {
    data: {
      consent: -1,
      retention: 1,
      reciprocity: 1,
      minimisation: 1,
      transparency: 1,
      accountability: 1,
      survey: 1,
    },
    headers: { origin: ctx.baseUrl },
  });
  check(bad.status() === 400, `a negative weight got ${bad.status()}`);

  await page.goto("/settings/audit");
  const log = (await page.locator('[data-table="audit-log"]').textContent()) ?? "";
  const actions = await page
    .locator('[data-table="audit-log"] [data-action]')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute("data-action")));
  for (const [action, label] of [
    ["key.create", "Created an API key"],
    ["user.invite", "Invited a user"],
    ["settings.purpose_save", "Saved a purpose"],
    ["settings.weights_save", "Saved the Trust Index weights"],
    ["auth.sign_in", "Signed in"],
    ["auth.sign_in_failed", "Sign-in refused"],
  ] as const) {
    check(actions.includes(action), `the audit log lacks ${action}`);
    check(log.includes(label), `the audit log does not say "${label}" for ${action}`);
  }
  check(!log.includes("auth.sign_in"), "the audit log shows action codes instead of their meaning");
  check(!log.includes(key) && !log.includes(password), "a secret appears in the audit log");
  await page.selectOption('select[name="action"]', "key");
  await page.click('form[aria-label="Filter the audit log"] button[type="submit"]');
  await page.waitForURL(/action=key/);
  const filtered = await page
    .locator('[data-table="audit-log"] tbody [data-action]')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute("data-action") ?? ""));
  check(
    filtered.length > 0 && filtered.every((a) => a.startsWith("key.")),
    `the action filter shows ${filtered.join(", ")}`,
  );
  const csv = await page.request.get("/api/settings/audit?action=key&format=csv");
  check(
    csv.status() === 200 && (await csv.text()).startsWith("at,actor,action,target,ip,details"),
    "the audit CSV export failed",
  );
  await page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-admin-audit.png"), fullPage: true });

  const fresh = await newPage(ctx);
  try {
    // The one-time password is right, and the same form then asks for a password of the invitee's own.
    await submitSignIn(fresh.page, invitee, password, "/definitions");
    const asked = await signInError(fresh.page);
    check(
      asked === "This was a one-time password: choose your own password to continue.",
      `after the one-time password the form said "${asked}"`,
    );
    await fresh.page.fill('input[name="new_password"]', "browser-chosen-password");
    await fresh.page.fill('input[name="new_password_again"]', "browser-chosen-password");
    await fresh.page.click('button[type="submit"]');
    await fresh.page.waitForURL((u) => u.pathname === "/definitions", { timeout: 30_000 });
    await fresh.page.goto("/account");
    await fresh.page.locator('form[aria-label="Change your password"]').waitFor({ timeout: 15_000 });
    await fresh.page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-account.png"), fullPage: true });
  } finally {
    await fresh.context.close();
  }
}

/**
 * The admin resets the demo marketer's password in Settings › Users & roles: a confirmation naming them, the one-time
 * password shown once (and copied), the marketer's open session ended, and the marketer signing in with it and asked
 * for a new one. The marketer chooses the demo password again, so the browser tests after this one still sign in.
 */
async function adminResetsPassword(ctx: Ctx): Promise<void> {
  const admin = DEMO_USERS.find((u) => u.role === "admin");
  const marketer = DEMO_USERS.find((u) => u.role === "marketer");
  check(admin && marketer, "no demo admin or marketer");
  const them = await newPage(ctx);
  const us = await newPage(ctx);
  try {
    await submitSignIn(them.page, marketer.email, DEMO_PASSWORD, "/definitions");
    await them.page.waitForURL((u) => u.pathname === "/definitions", { timeout: 30_000 });

    await us.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: ctx.baseUrl });
    await submitSignIn(us.page, admin.email, DEMO_PASSWORD, "/settings/users");
    await us.page.waitForURL((u) => u.pathname === "/settings/users", { timeout: 30_000 });
    await us.page.locator('[data-table="settings-users"]').waitFor({ timeout: 15_000 });
    check(
      (await us.page.locator(`button[aria-label="Reset the password of ${admin.email}"]`).count()) === 0,
      "the admin is offered a reset of their own password",
    );
    await us.page.click(`button[aria-label="Reset the password of ${marketer.email}"]`);
    const confirm = us.page.locator('[data-testid="reset-password-confirm"]');
    const question = (await confirm.locator("strong").textContent({ timeout: 15_000 }))?.trim();
    check(
      question === `Reset the password of ${marketer.name} (${marketer.email})?`,
      `the confirmation asks "${question}"`,
    );
    await us.page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-admin-reset-confirm.png") });
    await confirm.getByRole("button", { name: "Reset password" }).click();
    const shown = us.page.locator('[data-testid="reset-password"]');
    const password = (await shown.locator("code").textContent({ timeout: 15_000 }))?.trim() ?? "";
    check(/^[A-Za-z0-9]{20}$/.test(password), `the one-time password looks wrong: ${password}`);
    const said = (await shown.textContent()) ?? "";
    for (const words of ["shown once", "must be replaced", "sessions were ended"])
      check(said.includes(words), `the reset does not say "${words}": ${said}`);
    check((await confirm.count()) === 0, "the confirmation stays open after the reset");
    await shown.getByRole("button", { name: `Copy the one-time password of ${marketer.email}` }).click();
    await shown.getByText("Copied.").waitFor({ timeout: 5_000 });
    const copied = await us.page.evaluate(() => navigator.clipboard.readText());
    check(copied === password, `the clipboard holds "${copied}", not the one-time password`);
    await us.page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-admin-reset-password.png") });
    await us.page.reload();
    await us.page.locator('[data-table="settings-users"]').waitFor({ timeout: 15_000 });
    check(
      !(await us.page.content()).includes(password),
      "the one-time password is shown again after a reload",
    );

    // The marketer's session ended; the old password is refused; the one-time one asks for a new password.
    await them.page.goto("/definitions");
    check(
      new URL(them.page.url()).pathname === "/signin",
      `after the reset the marketer's session still opens ${them.page.url()}`,
    );
    await them.page.goto(`/signin?callbackUrl=${encodeURIComponent("/definitions")}`);
    await submitSignIn(them.page, marketer.email, DEMO_PASSWORD);
    const refused = await signInError(them.page);
    check(refused === "Wrong e-mail or password.", `the old password got "${refused}"`);
    await them.page.locator('button[type="submit"]:not([disabled])').waitFor();
    await submitSignIn(them.page, marketer.email, password, "/definitions");
    const asked = await signInError(them.page);
    check(
      asked === "This was a one-time password: choose your own password to continue.",
      `after the reset's one-time password the form said "${asked}"`,
    );
    await them.page.fill('input[name="new_password"]', DEMO_PASSWORD);
    await them.page.fill('input[name="new_password_again"]', DEMO_PASSWORD);
    await them.page.click('button[type="submit"]');
    await them.page.waitForURL((u) => u.pathname === "/definitions", { timeout: 30_000 });

    await us.page.goto("/settings/audit?action=user");
    const row = us.page.locator('[data-table="audit-log"] tr', {
      has: us.page.locator('[data-action="user.password_reset"]'),
    });
    const entry = (await row.first().textContent({ timeout: 15_000 })) ?? "";
    check(
      entry.includes("Reset a user's password") &&
        entry.includes(marketer.email) &&
        entry.includes(admin.email),
      `the audit log's reset entry says "${entry}"`,
    );
  } finally {
    await them.context.close();
    await us.context.close();
  }
}

export async function run(ctx: Ctx): Promise<void> {
  await checkSecurityHeaders(ctx.baseUrl);

  const { context, page } = await newPage(ctx);
  try {
    await page.goto("/settings/users");
    check(new URL(page.url()).pathname === "/signin", `signed out, /settings/users shows ${page.url()}`);
    const admin = DEMO_USERS.find((u) => u.role === "admin");
    check(admin, "no demo admin");
    await submitSignIn(page, admin.email, "not-the-password");
    const message = await signInError(page);
    check(message === "Wrong e-mail or password.", `a wrong password shows "${message}"`);
    await page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-wrong-password.png") });
  } finally {
    await context.close();
  }

  for (const user of DEMO_USERS) await checkRole(ctx, user);
  await adminResetsPassword(ctx);

  // Its own address and e-mail, so the back-off reaches neither the other browser tests nor a rerun on the same server.
  const run = randomBytes(4).toString("hex");
  const locked = await newPage(ctx, { "x-forwarded-for": `2001:db8::${run.slice(0, 4)}:${run.slice(4)}` });
  try {
    const email = `lockout-${run}@demo.trustledger.test`;
    const messages: string[] = [];
    for (let i = 1; i <= 12; i++) {
      await submitSignIn(locked.page, email, `wrong-${i}`);
      messages.push(await signInError(locked.page));
      await locked.page.locator('button[type="submit"]:not([disabled])').waitFor();
    }
    // Five free failures at one address, then waits of 1 s, 2 s, 4 s … (attempts while waiting are refused unchecked).
    check(
      messages.slice(0, 6).every((m) => m === "Wrong e-mail or password."),
      `the first 6 failures said: ${[...new Set(messages.slice(0, 6))].join(" | ")}`,
    );
    const backedOff = messages
      .slice(6)
      .filter((m) => /^Too many attempts, try again in \d+ seconds?$/.test(m));
    check(backedOff.length > 0, `no back-off after 6 failures: ${messages.slice(6).join(" | ")}`);
    check(
      messages.slice(6).every((m) => m === "Wrong e-mail or password." || backedOff.includes(m)),
      `unexpected answers: ${messages.slice(6).join(" | ")}`,
    );
    await locked.page.screenshot({ path: path.join(ctx.screenshotsDir, "auth-rate-limited.png") });
  } finally {
    await locked.context.close();
  }
}

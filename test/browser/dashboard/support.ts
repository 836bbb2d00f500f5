import fs from "node:fs";
import type { Browser, Locator, Page } from "playwright-core";

export { settled, signIn } from "../../../scripts/lib/browser";

export interface Ctx {
  baseUrl: string;
  browser: Browser;
  screenshotsDir: string;
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// The browser runs in en-US with the demo workspace's EUR: the screens must show exactly these strings.
const percent = new Intl.NumberFormat("en-US", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const euros = new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR" });
export const pct = (v: number | null) => (v === null ? "—" : percent.format(v));
export const count = (v: number) => whole.format(v);
export const points = (v: number | null) => (v === null ? "—" : oneDecimal.format(v));
export const money = (v: number) => euros.format(v);
export const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export async function api<T>(page: Page, path: string, params: Record<string, string>): Promise<T> {
  const url = `${path}?${new URLSearchParams(params)}`;
  // A kept-alive connection that the server closed while idle fails once with ECONNRESET: ask again.
  const res = await page.request
    .get(url, { timeout: 180_000 })
    .catch(() => page.request.get(url, { timeout: 180_000 }));
  check(res.ok(), `${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The screen's view as the URL holds it once the page has written its defaults into it. */
export async function viewOf(page: Page): Promise<Record<string, string>> {
  await page.waitForURL(/[?&]from=\d{4}-\d{2}-\d{2}.*&to=/, { timeout: 60_000 });
  return Object.fromEntries(new URL(page.url()).searchParams);
}

export function pick(params: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => params[k] !== undefined).map((k) => [k, params[k] as string]));
}

export function table(page: Page, prefix: string): Locator {
  return page.locator(`[data-table^="${prefix}"]`).first();
}

export async function cellText(page: Page, tablePrefix: string, row: string, col: string): Promise<string> {
  const cell = table(page, tablePrefix).locator(`tr[data-row="${row}"] [data-col="${col}"]`);
  check((await cell.count()) === 1, `table ${tablePrefix}: no cell ${row} / ${col}`);
  return ((await cell.textContent()) ?? "").trim();
}

export async function expectCell(
  page: Page,
  tablePrefix: string,
  row: string,
  col: string,
  expected: string,
): Promise<void> {
  const shown = await cellText(page, tablePrefix, row, col);
  check(
    shown === expected,
    `table ${tablePrefix}, row ${row}, ${col}: shows ${JSON.stringify(shown)}, the API says ${JSON.stringify(expected)}`,
  );
}

/** Waits until a cell shows the expected text (after a filter change the old view shows until the new one arrives). */
export async function eventuallyCell(
  page: Page,
  tablePrefix: string,
  row: string,
  col: string,
  expected: string,
  timeout = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let shown = "";
  while (Date.now() < deadline) {
    shown = await cellText(page, tablePrefix, row, col).catch(() => "");
    if (shown === expected) return;
    await page.waitForTimeout(250);
  }
  throw new Error(
    `table ${tablePrefix}, row ${row}, ${col}: shows ${JSON.stringify(shown)} after ${timeout} ms, the API says ${JSON.stringify(expected)}`,
  );
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endField();
    else if (c === "\n") {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== "\r") field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Clicks an "Export CSV" button and returns the downloaded file as rows of cells. */
export async function downloadCsv(page: Page, button: Locator): Promise<{ name: string; rows: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), rows: parseCsv(fs.readFileSync(file, "utf8")) };
}

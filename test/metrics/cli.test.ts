import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-cli-metrics-"));
const env = { ...process.env, TL_DATA_DIR: dir, DATABASE_URL: "", TL_LOG_LEVEL: "silent" };
const tl = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/tl.ts", ...args],
    {
      env,
      encoding: "utf8",
    },
  );

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("tl metrics prints the metric's JSON, and a bad parameter exits non-zero with one line naming it", () => {
  expect(tl("workspace", "create", "acme").status).toBe(0);
  const ok = tl(
    "metrics",
    "trust-score",
    "--workspace",
    "acme",
    "--from",
    "2026-01-01",
    "--to",
    "2026-03-01",
  );
  expect(ok.status, ok.stderr).toBe(0);
  expect(JSON.parse(ok.stdout)).toMatchObject({
    metric: "trust-score",
    from: "2026-01-01T00:00:00Z",
    granularity: "month",
    responses: 0,
    series: [{ period: "2026-01-01" }, { period: "2026-02-01" }],
  });

  const unknown = tl("metrics", "retention", "--workspace", "acme");
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/^tl: metric: unknown metric 'retention' \(expected one of opt-in, .*\)\n$/);

  const backwards = tl(
    "metrics",
    "opt-in",
    "--workspace",
    "acme",
    "--from",
    "2026-03-01",
    "--to",
    "2026-01-01",
  );
  expect(backwards.status).toBe(2);
  expect(backwards.stderr).toMatch(/^tl: from: must be before to/);
}, 180_000);

test("tl metrics checks its arguments before it opens the database", () => {
  // A data dir that does not exist yet: opening the embedded database would create it.
  const unopened = path.join(dir, "never-opened");
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/tl.ts", ...args],
      { env: { ...env, TL_DATA_DIR: unopened }, encoding: "utf8" },
    );
  const backwards = run("metrics", "opt-in", "-w", "acme", "--from", "2026-03-01", "--to", "2026-01-01");
  expect(backwards.status).toBe(2);
  expect(backwards.stderr).toMatch(/^tl: from: must be before to/);
  const kpi = run("metrics", "opt-in", "-w", "acme", "--kpi", "opt_in_rate");
  expect(kpi.status).toBe(2);
  expect(kpi.stderr).toBe("tl: kpi: only the overall metric takes a kpi (the Overview's KPIs)\n");
  const unknown = run("metrics", "retention", "-w", "acme");
  expect(unknown.stderr).toMatch(/^tl: metric: unknown metric 'retention'/);
  const noWorkspace = run("metrics", "opt-in");
  expect(noWorkspace.status).toBe(2);
  expect(noWorkspace.stderr).toMatch(/workspace/);
  expect(fs.existsSync(unopened)).toBe(false);
}, 60_000);

test("tl without a command lists every command, and exits 2", () => {
  const usage = tl();
  expect(usage.status).toBe(2);
  expect(usage.stderr).toMatch(/^tl: usage: npm run tl -- <command> \[options\]\n/);
  for (const command of ["migrate", "import", "metrics", "bench ingest"])
    expect(usage.stderr).toMatch(new RegExp(`\\n  ${command} `));
});

test("tl metrics trust-index takes the dashboard's --min_sample rule", () => {
  expect(tl("workspace", "create", "mins").status).toBe(0);
  expect(tl("config", "apply", "--workspace", "mins", "test/fixtures/basic/workspace.json").status).toBe(0);
  const month = ["--workspace", "mins", "--from", "2026-01-01", "--to", "2026-02-01"];
  // No events, every purpose and field declared: SPEC's index is transparency alone (100) …
  const spec = tl("metrics", "trust-index", ...month);
  expect(spec.status, spec.stderr).toBe(0);
  expect(JSON.parse(spec.stdout)).toMatchObject({ series: [{ period: "2026-01-01", index: 100 }] });
  // … which the dashboard's rule does not count as an index.
  const ruled = tl("metrics", "trust-index", ...month, "--min_sample", "30");
  expect(ruled.status, ruled.stderr).toBe(0);
  expect(JSON.parse(ruled.stdout)).toMatchObject({ series: [{ period: "2026-01-01", index: null }] });
  const bad = tl("metrics", "trust-index", "--workspace", "mins", "--min_sample", "lots");
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^tl: min_sample: /);
}, 180_000);

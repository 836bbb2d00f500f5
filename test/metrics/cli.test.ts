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

test("every tl command checks its arguments before it opens the database", () => {
  const unopened = path.join(dir, "never-opened-either");
  // One process for all of them: each case is the command's `check`, as `tl` runs it before `run`.
  const cases: [string[], string][] = [
    [["workspace", "create"], "workspace create needs a slug"],
    [["config", "apply", "test/fixtures/basic/workspace.json"], "--workspace is required"],
    [["config", "apply", "-w", "acme", "no-such.json"], "file not found: no-such.json"],
    [["config", "apply", "-w", "acme", "README.md"], "README.md: not valid JSON"],
    [["config", "export"], "--workspace is required"],
    [["key", "create", "-w", "acme"], "--scope is required (ingest, read or suppression)"],
    [["key", "list"], "--workspace is required"],
    [["key", "revoke", "-w", "acme"], "key revoke needs the key's id or prefix"],
    [
      ["user", "create", "-w", "acme", "--email", "a@b.test", "--role", "owner"],
      "--role: expected admin, privacy, marketer, executive, got 'owner'",
    ],
    [["user", "create", "--email", "a@b.test", "--role", "admin"], "--workspace is required"],
    [["user", "reset-password"], "--email is required"],
    [["import", "-w", "acme"], "import needs a file"],
    [["import", "-w", "acme", "no-such.ndjson"], "file not found: no-such.ndjson"],
    [
      ["import", "-w", "acme", "package.json", "--format", "xml"],
      "--format: expected ndjson, csv or a signal format",
    ],
    [["import", "package.json"], "--workspace is required"],
    [["suppression", "-w", "acme"], "--purpose is required"],
    [["suppression", "-w", "acme", "--purpose", "ads", "--format", "xml"], "format:"],
    [["export", "consent-record", "-w", "acme"], "--subject is required"],
    [["seed", "--events", "12"], "--events: expected a whole number of at least 100, got '12'"],
  ];
  const script = `
    import { commands } from "./scripts/cli/commands";
    import { parseArgs } from "node:util";
    const out = [];
    for (const [argv] of ${JSON.stringify(cases)}) {
      const name = commands[argv.slice(0, 2).join(" ")] ? argv.slice(0, 2).join(" ") : argv[0];
      const rest = argv.slice(name.split(" ").length);
      try {
        const { values, positionals } = parseArgs({ args: rest, options: commands[name].options ?? {}, allowPositionals: true, strict: false });
        commands[name].check?.(values, positionals);
        out.push("");
      } catch (e) { out.push(e.message); }
    }
    console.log(JSON.stringify(out));`;
  const checked = spawnSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "--eval", script],
    { env: { ...env, TL_DATA_DIR: unopened }, encoding: "utf8" },
  );
  expect(checked.status, checked.stderr).toBe(0);
  const messages = JSON.parse(checked.stdout) as string[];
  cases.forEach(([argv, want], i) => expect(messages[i], argv.join(" ")).toContain(want));
  // And through tl itself: the message, exit 2, no database.
  const tlRun = spawnSync(
    process.execPath,
    [
      "node_modules/tsx/dist/cli.mjs",
      "--conditions=react-server",
      "scripts/tl.ts",
      "key",
      "create",
      "-w",
      "acme",
    ],
    { env: { ...env, TL_DATA_DIR: unopened }, encoding: "utf8" },
  );
  expect(tlRun.status).toBe(2);
  expect(tlRun.stderr).toBe("tl: --scope is required (ingest, read or suppression)\n");
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

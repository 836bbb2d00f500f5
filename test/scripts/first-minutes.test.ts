import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { duration, eta, throttled } from "@/scripts/lib/progress";

describe("npm ci has no install-scripts warning", () => {
  test("every package in the lockfile with an install script is declared in package.json's allowScripts", () => {
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const allowed =
      (JSON.parse(fs.readFileSync("package.json", "utf8")) as { allowScripts?: Record<string, boolean> })
        .allowScripts ?? {};
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path && p.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
    expect(withScripts.length).toBeGreaterThan(0);
    expect([...new Set(withScripts)].filter((name) => allowed[name] !== true)).toEqual([]);
  });
});

describe("the demo's progress lines", () => {
  test.each([
    [0, 500_000, 10_000, "0%"],
    [100_000, 500_000, 20_000, "20%, about 1 min 20 s left"],
    [250_000, 500_000, 30_000, "50%, about 30 s left"],
    [500_000, 500_000, 60_000, "100%"],
  ])("%i of %i after %i ms: %s", (done, total, elapsed, expected) => {
    expect(eta(done, total, elapsed)).toBe(expected);
  });

  test("durations read in seconds and minutes", () => {
    expect([duration(400), duration(42_000), duration(120_000), duration(185_000)]).toEqual([
      "1 s",
      "42 s",
      "2 min",
      "3 min 5 s",
    ]);
  });

  test("a throttled report speaks at most once per interval, and always at the end", () => {
    const said: number[] = [];
    const report = throttled((n) => said.push(n), 60_000);
    for (let n = 1; n <= 10; n++) report(n, 10);
    expect(said).toEqual([1, 10]);
  });
});

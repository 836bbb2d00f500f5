import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { reachedFromClient, root, sourceFiles, valueImports } from "./module-graph";

/** What makes a module server-only: it loads the database client, SQL, the environment or a secret. */
const SERVER_IMPORTS =
  /^(@\/db\/client|\.\/client|drizzle-orm.*|postgres|@electric-sql\/pglite.*|@\/lib\/env|@\/lib\/server\/.*|node:crypto|crypto|@node-rs\/argon2)$/;
const marked = (file: string) => valueImports(file).includes("server-only");
const rel = (file: string) => path.relative(root, file);

// db/schema is read by drizzle-kit outside Next; it holds table definitions, no connection and no secret.
// db/pglite-worker.ts is a worker thread's entry: no module imports it, and "server-only" (resolved by
// Next's react-server condition) cannot load in a thread started outside Next, as in the tests.
const exempt = (f: string) => rel(f).startsWith("db/schema/") || rel(f) === "db/pglite-worker.ts";
const serverModules = () =>
  [...sourceFiles("lib"), ...sourceFiles("db").filter((f) => !exempt(f))].filter((f) =>
    valueImports(f).some((spec) => SERVER_IMPORTS.test(spec)),
  );

test('every lib and db module that touches the database, the environment or a secret imports "server-only"', () => {
  const modules = serverModules();
  expect(modules.length).toBeGreaterThan(50);
  expect(modules.filter((f) => !marked(f)).map(rel)).toEqual([]);
});

test("no client component loads a server-only module, directly or through other modules", () => {
  const reached = reachedFromClient();
  expect(reached.size).toBeGreaterThan(50);
  const leaks = [...reached.entries()]
    .filter(([file]) => fs.existsSync(file) && marked(file))
    .map(([, chain]) => chain.map(rel).join(" → "));
  expect(leaks).toEqual([]);
});

test("no module imports the embedded database's worker entry (it runs only as a thread of its own)", () => {
  const importers = ["app", "lib", "db", "scripts"]
    .flatMap((dir) => sourceFiles(dir))
    .filter((f) => valueImports(f).some((spec) => /(^|\/)pglite-worker(\.ts)?$/.test(spec)));
  expect(importers.map(rel)).toEqual([]);
});

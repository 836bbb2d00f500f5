import path from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);
// "server-only" throws outside Next's react-server build; tests load server modules directly, so it is empty here.
const resolve = {
  alias: { "@": root, "server-only": path.join(root, "node_modules/server-only/empty.js") },
};

// Every test file runs on PGlite; when TEST_DATABASE_URL is set (CI starts a real server), the
// database tests (*.db.test.ts) run again on PostgreSQL, and when TEST_CITUS_URL is set (a Citus
// coordinator; CI starts a 3-node cluster where Citus is installed), again on Citus.
const projects: TestProjectInlineConfiguration[] = [
  {
    resolve,
    extends: true,
    test: {
      name: "pglite",
      include: ["test/**/*.test.ts"],
      // PGlite on a thread of its own, as the app server runs it (test/db/pglite-worker.test.ts
      // compares it with PGlite on the test's thread, as the CLI runs it).
      env: { TL_TEST_DB: "pglite", TL_TEST_PGLITE_THREAD: "worker", TL_LOG_LEVEL: "warn" },
    },
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    resolve,
    extends: true,
    test: {
      name: "postgres",
      include: ["test/**/*.db.test.ts"],
      env: { TL_TEST_DB: "postgres", TL_LOG_LEVEL: "warn" },
      globalSetup: ["test/helpers/global-setup.ts"],
    },
  });
}

if (process.env.TEST_CITUS_URL) {
  projects.push({
    resolve,
    extends: true,
    test: {
      name: "citus",
      include: ["test/**/*.db.test.ts"],
      env: { TL_TEST_DB: "citus", TL_LOG_LEVEL: "warn" },
      globalSetup: ["test/helpers/global-setup-citus.ts"],
    },
  });
}

export default defineConfig({
  resolve,
  test: {
    projects,
    pool: "forks",
    // Files of a worker share its one PGlite (started once, ~4 s); tests isolate by workspace and restore what they change.
    isolate: false,
    // PGlite takes ~700 MB per instance: one per worker, two workers on this 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});

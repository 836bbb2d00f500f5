/**
 * The README's first command: migrate, load the demo company into the embedded database when it
 * is empty, build the app when its sources changed, and serve it at http://localhost:3000.
 */
import { sql } from "drizzle-orm";
import { dataDir, rows } from "@/db/client";
import {
  DEFAULT_DEMO_EVENTS,
  DEMO_SLUG,
  loadDemo,
  refreshStaleRollups,
  workspaceHasEvents,
} from "@/lib/demo";
import { requireWorkspace } from "@/lib/workspaces";
import { openCli } from "./cli/context";
import { ensureBuilt, startApp } from "./lib/app";
import { duration, eta, throttled } from "./lib/progress";

const port = Number(process.env.PORT ?? 3000);

async function prepareDatabase(): Promise<{ email: string; role: string }[]> {
  const ctx = await openCli();
  try {
    if (await workspaceHasEvents(ctx.database.db, DEMO_SLUG)) {
      console.log(`demo: the embedded database in ${dataDir()} already has the demo company`);
      const ws = await requireWorkspace(ctx.database.db, DEMO_SLUG);
      const started = Date.now();
      let told = false;
      const rebuilt = await refreshStaleRollups(ctx.database.db, ws.id, (n) => {
        if (!told)
          console.log(`demo: its rollups are from an older version: rebuilding them (a few minutes)…`);
        told = true;
        if (n % 5000 === 0) console.log(`demo:   ${n.toLocaleString("en-US")} customers`);
      });
      if (rebuilt) console.log(`demo:   rollups rebuilt in ${duration(Date.now() - started)}`);
    } else {
      console.log(
        `demo: step 1 of 3: loading the demo company into ${dataDir()} (${DEFAULT_DEMO_EVENTS.toLocaleString("en-US")} events; 5 to 10 minutes in all on a laptop)…`,
      );
      const started = Date.now();
      let stage = started;
      const stored = throttled((n, total) =>
        console.log(
          `demo:   ${n.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events stored (${eta(n, total, Date.now() - started)})`,
        ),
      );
      const applied = throttled((n, total) =>
        console.log(
          `demo:   rollups: ${n.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events applied (${eta(n, total, Date.now() - stage)})`,
        ),
      );
      const loaded = await loadDemo(ctx.database.db, {
        onProgress: (n) => stored(n, DEFAULT_DEMO_EVENTS),
        onStage: (s) => {
          if (s.stage === "rollups" && s.applied === 0) {
            stage = Date.now();
            console.log(
              `demo:   events stored in ${duration(Date.now() - started)}; step 2 of 3: applying the rollups that make the screens fast (several times as long as storing them took; the remaining time is shown as it goes)…`,
            );
          } else if (s.stage === "rollups") applied(s.applied, s.total);
          if (s.stage === "campaign")
            console.log(
              `demo:   rollups applied in ${duration(Date.now() - stage)}; adding the demo's give-back campaign…`,
            );
          if (s.stage === "analyze")
            console.log(`demo:   updating the planner's statistics (a few seconds)…`);
        },
      });
      console.log(`demo: ${loaded.accepted} events stored in ${loaded.seconds.toFixed(1)} s`);
    }
    return await rows<{ email: string; role: string }>(
      ctx.database.db,
      sql`SELECT u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id JOIN workspaces w ON w.id = m.workspace_id
          WHERE w.slug = ${DEMO_SLUG} ORDER BY u.email`,
    );
  } finally {
    await ctx.close();
  }
}

async function main(): Promise<void> {
  const users = await prepareDatabase();
  const build = Date.now();
  const built = ensureBuilt((line) =>
    console.log(`demo: step 3 of 3: ${line} (2 to 5 minutes, only when the sources changed)`),
  );
  if (built) console.log(`demo:   built in ${duration(Date.now() - build)}`);
  const url = `http://localhost:${port}`;
  const server = startApp(port);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill("SIGTERM"));
  server.on("exit", (code) => process.exit(code ?? 0));
  console.log(`\nTrustledger is starting at ${url}`);
  if (users.length) {
    console.log(
      `Sign in as any of these demo users (password: ${process.env.TL_DEMO_PASSWORD ?? "demo-password"}):`,
    );
    for (const u of users) console.log(`  ${u.role.padEnd(10)} ${u.email}`);
  }
}

main().catch((e: unknown) => {
  console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

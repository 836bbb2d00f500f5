/**
 * The README's first command: migrate, load the demo company into the embedded database when it
 * is empty, build the app when its sources changed, and serve it at http://localhost:3000.
 */
import { sql } from "drizzle-orm";
import { dataDir, rows } from "@/db/client";
import { DEMO_SLUG, loadDemo, workspaceHasEvents } from "@/lib/demo";
import { openCli } from "./cli/context";
import { ensureBuilt, startApp } from "./lib/app";

const port = Number(process.env.PORT ?? 3000);

async function prepareDatabase(): Promise<{ email: string; role: string }[]> {
  const ctx = await openCli();
  try {
    if (await workspaceHasEvents(ctx.database.db, DEMO_SLUG)) {
      console.log(`demo: the embedded database in ${dataDir()} already has the demo company`);
    } else {
      console.log(`demo: loading the demo company into ${dataDir()} (a minute or two)…`);
      const loaded = await loadDemo(ctx.database.db, { onProgress: (n) => n % 100_000 === 0 && console.log(`demo: ${n} events stored`) });
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
  ensureBuilt((line) => console.log(`demo: ${line}`));
  const url = `http://localhost:${port}`;
  const server = startApp(port);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill("SIGTERM"));
  server.on("exit", (code) => process.exit(code ?? 0));
  console.log(`\nTrustledger is starting at ${url}`);
  if (users.length) {
    console.log(`Sign in as any of these demo users (password: ${process.env.TL_DEMO_PASSWORD ?? "demo-password"}):`);
    for (const u of users) console.log(`  ${u.role.padEnd(10)} ${u.email}`);
  }
}

main().catch((e: unknown) => {
  console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

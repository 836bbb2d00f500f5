import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { loadDemoCampaign } from "@/lib/campaigns/demo";
import { ingestStream } from "@/lib/ingest/entry";
import { generateSeedEvents } from "@/lib/seed/generate";
import { loadScope } from "@/lib/metrics/scope";
import { rebuildMetricState } from "@/lib/metrics/state";
import { createDemoUsers } from "@/lib/users/demo";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { applyWorkspaceConfig, createWorkspace, findWorkspace } from "@/lib/workspaces";

export const DEMO_SLUG = "demo";
export const DEFAULT_DEMO_EVENTS = 500_000;

export interface DemoLoad {
  workspace: string;
  workspace_id: number;
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  seconds: number;
}

/** The steps after the events are stored, reported as each starts (rollups, then also as they advance: events applied so far). */
export type DemoStage =
  { stage: "campaign" } | { stage: "rollups"; applied: number; total: number } | { stage: "analyze" };

async function* seedRecords(events: number): AsyncGenerator<unknown> {
  yield* generateSeedEvents({ events });
}

/** Creates the demo company and streams the deterministic demo events into it. */
export async function loadDemo(
  db: Db,
  opts: {
    slug?: string;
    events?: number;
    onProgress?: (done: number) => void;
    onStage?: (stage: DemoStage) => void;
  } = {},
): Promise<DemoLoad> {
  const slug = opts.slug ?? DEMO_SLUG;
  const total = opts.events ?? DEFAULT_DEMO_EVENTS;
  const started = Date.now();
  const ws =
    (await findWorkspace(db, slug)) ??
    (await createWorkspace(db, { slug, name: "Acme Outdoor (demo)", currency: "EUR" }));
  await applyWorkspaceConfig(db, ws.id, demoWorkspaceConfig);
  await createDemoUsers(db, ws.id);
  const result: DemoLoad = {
    workspace: slug,
    workspace_id: ws.id,
    events: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    seconds: 0,
  };
  let accepted = 0;
  const stored = await ingestStream(
    db,
    ws.id,
    seedRecords(total),
    "seed",
    {
      maxListed: 0,
      progress: (s) => {
        accepted = s.accepted;
        opts.onProgress?.(s.events);
      },
    },
    {
      mode: "now",
      onStart: () => opts.onStage?.({ stage: "rollups", applied: 0, total: accepted }),
      progress: (applied) => opts.onStage?.({ stage: "rollups", applied, total: accepted }),
    },
  );
  Object.assign(result, {
    events: stored.events,
    accepted: stored.accepted,
    duplicates: stored.duplicates,
    rejected: stored.rejected_count,
  });
  opts.onStage?.({ stage: "campaign" });
  await loadDemoCampaign(db, ws.id);
  opts.onStage?.({ stage: "analyze" });
  // A bulk load leaves the planner without statistics and the visibility map unset (PGlite never autovacuums):
  // plans would be blind, and the rollups' index-only reads would visit every row's page. On the 200,000-event
  // demo this took the filtered screens' first content from 8.6–20 s to 3.8–7.6 s (README, reads under load).
  await db.execute(sql`VACUUM ANALYZE`);
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

export async function workspaceHasEvents(db: Db, slug: string): Promise<boolean> {
  const ws = await findWorkspace(db, slug);
  if (!ws) return false;
  const found = await rows<{ x: number }>(
    db,
    sql`SELECT 1 AS x FROM events WHERE workspace_id = ${ws.id} LIMIT 1`,
  );
  return found.length > 0;
}

/**
 * Rebuilds the workspace's rollups when they were built by an older version (METRIC_STATE_VERSION): its metrics would
 * read the raw events until then. The README's first command runs it on an existing demo database, so a newer
 * checkout is fast again without a manual `tl metrics rebuild`. Returns whether it rebuilt.
 */
export async function refreshStaleRollups(
  db: Db,
  workspaceId: number,
  onProgress?: (subjects: number) => void,
): Promise<boolean> {
  if ((await loadScope(db, workspaceId)).rollupsReady) return false;
  await rebuildMetricState(db, workspaceId, onProgress);
  await db.execute(sql`VACUUM ANALYZE`);
  return true;
}

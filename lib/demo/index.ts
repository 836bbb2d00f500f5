import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { loadDemoCampaign } from "@/lib/campaigns/demo";
import { ingestEvents } from "@/lib/ingest";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { generateSeedEvents } from "@/lib/seed/generate";
import { createDemoUsers } from "@/lib/users/demo";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { applyWorkspaceConfig, createWorkspace, findWorkspace } from "@/lib/workspaces";

export const DEMO_SLUG = "demo";
export const DEFAULT_DEMO_EVENTS = 500_000;
const CHUNK = 5000;

export interface DemoLoad {
  workspace: string;
  workspace_id: number;
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  seconds: number;
}

/** The steps after the events are stored, reported as each starts (rollups also as they advance: events applied so far). */
export type DemoStage =
  { stage: "campaign" } | { stage: "rollups"; applied: number; total: number } | { stage: "analyze" };

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
  let chunk: unknown[] = [];
  const flush = async () => {
    const s = await ingestEvents(db, ws.id, chunk, "seed");
    result.events += chunk.length;
    result.accepted += s.accepted;
    result.duplicates += s.duplicates;
    result.rejected += s.rejected.length;
    chunk = [];
    opts.onProgress?.(result.events);
  };
  for (const event of generateSeedEvents({ events: total })) {
    chunk.push(event);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length) await flush();
  opts.onStage?.({ stage: "campaign" });
  await loadDemoCampaign(db, ws.id);
  opts.onStage?.({ stage: "rollups", applied: 0, total: result.accepted });
  await catchUpMetricState(db, ws.id, (applied) =>
    opts.onStage?.({ stage: "rollups", applied, total: result.accepted }),
  );
  opts.onStage?.({ stage: "analyze" });
  // A bulk load leaves the planner without statistics (PGlite never autovacuums): plans would be blind.
  await db.execute(sql`ANALYZE`);
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

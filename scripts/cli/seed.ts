import type { Db } from "@/db/client";
import { DEFAULT_DEMO_EVENTS, DEMO_SLUG, loadDemo, workspaceHasEvents } from "@/lib/demo";
import { printJson, UsageError } from "./context";

/** `--events`, checked without the database: the demo's default, or a whole number of at least 100. */
export function seedEvents(v: Record<string, string | boolean | undefined>): number {
  const events = v.events === undefined ? DEFAULT_DEMO_EVENTS : Number(v.events);
  if (!Number.isInteger(events) || events < 100)
    throw new UsageError(`--events: expected a whole number of at least 100, got '${String(v.events)}'`);
  return events;
}

export async function seedCommand(db: Db, v: Record<string, string | boolean | undefined>): Promise<void> {
  const slug = (v.workspace as string | undefined) ?? DEMO_SLUG;
  const events = seedEvents(v);
  if (v["if-empty"] && (await workspaceHasEvents(db, slug))) {
    printJson({ workspace: slug, skipped: "already has events" });
    return;
  }
  const result = await loadDemo(db, {
    slug,
    events,
    onProgress: (done) => process.stderr.write(`seed: ${done} of ~${events} events stored\n`),
  });
  printJson(result);
}

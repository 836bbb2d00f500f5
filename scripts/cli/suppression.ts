import type { Db } from "@/db/client";
import { auditedRead, parseSuppressionQuery, streamSuppression } from "@/lib/suppression";
import { requireWorkspace } from "@/lib/workspaces";
import { requireOption } from "./context";

export const suppressionSummary =
  "--workspace <slug> --purpose P [--at …] [--format json|csv|ndjson] [--changed-since <cursor>]: a suppression list, streamed";

/** Writes to stdout and waits when its buffer is full, so a list of millions streams in flat memory. */
const writeOut = (chunk: string) =>
  new Promise<void>((resolve, reject) => {
    if (!chunk) return resolve();
    if (process.stdout.write(chunk, (e) => e && reject(e))) resolve();
    else process.stdout.once("drain", resolve);
  });

/** The query of `tl suppression`, checked as the API checks it, without the database. */
export const suppressionQueryOf = (values: Record<string, string | boolean | undefined>) =>
  parseSuppressionQuery({
    purpose: requireOption(values, "purpose"),
    at: values.at as string | undefined,
    format: values.format as string | undefined,
    changed_since: values["changed-since"] as string | undefined,
  });

/**
 * `tl suppression`: the suppression list as GET /api/v1/suppression answers it; for csv and ndjson
 * the sync cursor goes to stderr. The read is written to the audit log as "cli".
 */
export async function suppressionCommand(
  db: Db,
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  const q = suppressionQueryOf(values);
  const ws = await requireWorkspace(db, requireOption(values, "workspace"));
  await streamSuppression(db, ws.id, q, writeOut, async (read) => {
    await auditedRead(db, { workspaceId: ws.id, label: "cli", ip: null }, q)(read);
    if (read.format !== "json") process.stderr.write(`next_cursor: ${read.nextCursor}\n`);
  });
}

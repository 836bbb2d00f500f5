import type { ParseArgsConfig } from "node:util";
import type { Db } from "@/db/client";
import { METRIC_NAMES, readMetric } from "@/lib/metrics";
import { rebuildMetricState } from "@/lib/metrics/state";
import { requireWorkspace } from "@/lib/workspaces";
import { printJson, requireOption, UsageError } from "./context";

const QUERY = [
  "from",
  "to",
  "granularity",
  "purpose",
  "region",
  "channel",
  "context",
  "at",
  "breakdown",
  "min_sample",
  "kpi",
] as const;

export const metricsOptions: ParseArgsConfig["options"] = {
  workspace: { type: "string", short: "w" },
  ...Object.fromEntries(QUERY.map((q) => [q, { type: "string" as const }])),
};

export const metricsSummary = `<${METRIC_NAMES.join("|")}> --workspace <slug> [--${QUERY.join(" --")}]; rebuild --workspace <slug>: recompute the rollups`;

/** `tl metrics <name>`: prints the JSON that GET /api/v1/metrics/<name> returns. `tl metrics rebuild` recomputes the rollups. */
export async function metricsCommand(
  db: Db,
  values: Record<string, string | boolean | undefined>,
  [name]: string[],
): Promise<void> {
  if (!name) throw new UsageError(`metrics needs a metric name: ${METRIC_NAMES.join(", ")}`);
  const ws = await requireWorkspace(db, requireOption(values, "workspace"));
  if (name === "rebuild") {
    const started = performance.now();
    const { subjects } = await rebuildMetricState(db, ws.id, (n) =>
      process.stderr.write(`\rrebuild: ${n} subjects`),
    );
    process.stderr.write("\n");
    printJson({
      workspace: ws.slug,
      subjects,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
    return;
  }
  const query = Object.fromEntries(QUERY.map((q) => [q, values[q] as string | undefined]));
  printJson(await readMetric(db, ws.id, name, query, { consistency: "exact" }));
}

import type { ParseArgsConfig } from "node:util";
import type { Db } from "@/db/client";
import { checkMetricQuery, METRIC_NAMES, readMetric } from "@/lib/metrics";
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

const queryOf = (values: Record<string, string | boolean | undefined>) =>
  Object.fromEntries(QUERY.map((q) => [q, values[q] as string | undefined]));

/** The arguments of `tl metrics`, checked before the database is opened (opening and migrating it takes seconds). */
export function checkMetricsArgs(
  values: Record<string, string | boolean | undefined>,
  [name]: string[],
): string {
  if (!name) throw new UsageError(`metrics needs a metric name: ${METRIC_NAMES.join(", ")}`);
  requireOption(values, "workspace");
  if (name !== "rebuild") checkMetricQuery(name, queryOf(values));
  return name;
}

/**
 * `tl metrics <name>`: prints the JSON that GET /api/v1/metrics/<name> returns. `tl metrics rebuild` recomputes the
 * rollups. Its arguments were checked by `checkMetricsArgs`.
 */
export async function metricsCommand(
  db: Db,
  values: Record<string, string | boolean | undefined>,
  name: string,
): Promise<void> {
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
  printJson(await readMetric(db, ws.id, name, queryOf(values), { consistency: "exact" }));
}

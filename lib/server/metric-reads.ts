import "server-only";
import { env } from "@/lib/env";
import { readMetric, type MetricReading } from "@/lib/metrics";
import { appDatabase } from "./database";

/**
 * A metric read of the dashboard or the API: through the database's read gate (its queue, the
 * TL_READ_BUDGET_MS budget, cancelled when `signal` aborts), answering from the rollups as they
 * are ("applied") unless the query asks `consistency=exact`: then the queue is applied first,
 * outside the budget, as the CLI does.
 */
export async function gatedMetricRead(
  workspaceId: number,
  name: string,
  query: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<MetricReading> {
  const app = await appDatabase();
  if (query.consistency === "exact") await app.rollups.catchUp(app.database.db, workspaceId);
  return app.reads.run({ budgetMs: env().TL_READ_BUDGET_MS, signal }, (db) =>
    readMetric(db, workspaceId, name, query, { consistency: "applied", catchUp: async () => {} }),
  );
}

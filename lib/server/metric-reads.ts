import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/member";
import type { Role } from "@/lib/auth/permissions";
import { audienceCount } from "@/lib/campaigns";
import type { AudienceCount } from "@/lib/campaigns/types";
import { env } from "@/lib/env";
import { computeInsight, isGatedInsight } from "@/lib/insights";
import { readMetric, type MetricReading } from "@/lib/metrics";
import type { MetricsReader } from "@/lib/metrics/access";
import type { MetricOptions } from "@/lib/metrics/scope";
import { appDatabase } from "./database";
import { apiKeyCaller, sessionCaller, type ReadCaller } from "./reads";

/** The gate's name for who reads: the API key, else the signed-in user (the CLI and tests: nobody, uncapped). */
const callerOf = (reader: Omit<MetricsReader, "workspaceId">): ReadCaller | undefined =>
  reader.keyId != null
    ? apiKeyCaller(reader.keyId)
    : reader.userId != null
      ? sessionCaller(reader.userId)
      : undefined;

/**
 * `work` through the database's read gate: its queue, the TL_READ_BUDGET_MS budget, cancelled when `signal` aborts,
 * and the caller's cap on reads at once.
 */
async function gated<T>(
  reader: Omit<MetricsReader, "workspaceId">,
  work: (db: Db) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const app = await appDatabase();
  return app.reads.run({ budgetMs: env().TL_READ_BUDGET_MS, signal, caller: callerOf(reader) }, work);
}

/** What a gated read of the rollups is told: count what is applied (an exact query caught up before the gate). */
const APPLIED: Pick<MetricOptions, "consistency" | "catchUp"> = {
  consistency: "applied",
  catchUp: async () => {},
};

/**
 * A gated read of the rollups: as applied, unless the query asks `consistency=exact` — then the queue is applied
 * first, by the server's scheduler and outside the budget, as the CLI does.
 */
async function gatedRollupRead<T>(
  reader: MetricsReader,
  query: Record<string, string | undefined>,
  work: (db: Db) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const app = await appDatabase();
  if (query.consistency === "exact") await app.rollups.catchUp(app.database.db, reader.workspaceId);
  return gated(reader, work, signal);
}

/**
 * A metric read of the dashboard or the API: through the database's read gate (its queue, the
 * TL_READ_BUDGET_MS budget, cancelled when `signal` aborts), answering from the rollups as they
 * are ("applied") unless the query asks `consistency=exact`: then the queue is applied first,
 * outside the budget, as the CLI does.
 */
export async function gatedMetricRead(
  reader: MetricsReader,
  name: string,
  query: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<MetricReading> {
  return gatedRollupRead(
    reader,
    query,
    (db) => readMetric(db, reader.workspaceId, name, query, APPLIED),
    signal,
  );
}

/**
 * An insight of the dashboard (`GET /api/v1/insights/<name>`, a screen's prefetch). Those that read the events
 * (churn after withdrawal, the data inventory) pass the read gate like a metric read — its queue, budget and
 * cancellation — so they cannot hold the database for others either, and like it they answer from the rollups as
 * they are unless the query asks `consistency=exact`; the small ones (names, filter options, launches) answer at once.
 */
export async function gatedInsightRead(
  actor: { workspaceId: number; role: Role; userId?: number | null },
  name: string,
  query: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<unknown> {
  const app = await appDatabase();
  if (!isGatedInsight(name)) return computeInsight(app.database.db, actor, name, query);
  return gatedRollupRead(actor, query, (db) => computeInsight(db, actor, name, query, APPLIED), signal);
}

/**
 * The Give-back form's live audience (`GET /api/v1/campaigns/audience`): it groups the field's events per customer
 * (what a launch would freeze, counted now), so it passes the read gate like the reads above.
 */
export const gatedAudienceCount = (
  actor: Actor,
  query: unknown,
  signal?: AbortSignal,
): Promise<AudienceCount> => gated(actor, (db) => audienceCount(db, actor, query), signal);

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { badRequest, notFound } from "@/lib/errors";
import type { ResolvedParams } from "./params";
import type { Consistency } from "./types";
import { periodPlan, rollupGrain, type MetricPath, type RollupGrain, type Window } from "./plan";
import { METRIC_STATE_VERSION } from "./state/version";

/** What a metric needs to know about its workspace besides the events. */
export interface MetricScope {
  workspaceId: number;
  currency: string;
  trustWeights: Record<string, number> | null;
  /** Days a data subject request may take (SPEC 4). */
  dsarDueDays: number;
  /** Event sources that count as using a control (SPEC 4, control effect). */
  controlSources: string[];
  /** Every purpose of the workspace, declared or not, by key. */
  purposes: { key: string; status: string }[];
  fields: { key: string; status: string; dormancyDays: number; purposes: string[] }[];
  /** The rollups hold every stored event of the workspace. */
  rollupsReady: boolean;
  /** The dormancy window each field's rollups were built with. */
  rollupWindows: Record<string, number>;
  /** The settings the rollups were built with: rows that depend on them are read only while they are current. */
  rollupDsarDueDays: number | null;
  rollupControlSources: string[] | null;
}

/**
 * The scope in one round trip: it precedes every metric. It reads the rollups as they are: an
 * exact read (`computeMetric` with consistency "exact") applies the queue before it.
 */
export async function loadScope(db: Db, workspaceId: number): Promise<MetricScope> {
  const [found] = await rows<{
    currency: string;
    trust_weights: Record<string, number> | null;
    dsar_due_days: number;
    control_sources: string[];
    purposes: MetricScope["purposes"];
    fields: MetricScope["fields"];
    version: number | null;
    state: { dsar_due_days: number; control_sources: string[] } | null;
    windows: Record<string, number> | null;
  }>(
    db,
    sql`SELECT w.currency, w.trust_weights, w.dsar_due_days, w.control_sources,
          (SELECT coalesce(json_agg(json_build_object('key', p.key, 'status', p.status) ORDER BY p.key), '[]') FROM purposes p WHERE p.workspace_id = ${workspaceId}) AS purposes,
          (SELECT coalesce(json_agg(json_build_object('key', f.key, 'status', f.status, 'dormancyDays', f.dormancy_days, 'purposes', f.purposes) ORDER BY f.key), '[]')
             FROM fields f WHERE f.workspace_id = ${workspaceId}) AS fields,
          (SELECT s.version FROM metric_state s WHERE s.workspace_id = ${workspaceId}) AS version,
          (SELECT json_build_object('dsar_due_days', s.dsar_due_days, 'control_sources', s.control_sources) FROM metric_state s WHERE s.workspace_id = ${workspaceId}) AS state,
          (SELECT json_object_agg(m.field, m.dormancy_days) FROM metric_field_window m WHERE m.workspace_id = ${workspaceId}) AS windows
        FROM workspaces w WHERE w.id = ${workspaceId}`,
  );
  if (!found) throw notFound(`workspace ${workspaceId} does not exist`);
  return {
    workspaceId,
    currency: found.currency,
    trustWeights: found.trust_weights,
    dsarDueDays: Number(found.dsar_due_days),
    controlSources: found.control_sources,
    purposes: found.purposes,
    fields: found.fields,
    rollupsReady: found.version === METRIC_STATE_VERSION,
    rollupWindows: found.windows ?? {},
    rollupDsarDueDays: found.state ? Number(found.state.dsar_due_days) : null,
    rollupControlSources: found.state?.control_sources ?? null,
  };
}

/** The purposes a metric reports on: all of them, or the one of the `purpose` filter (400 if unknown). */
export function reportedPurposes(scope: MetricScope, purpose: string | undefined): string[] {
  const keys = scope.purposes.map((p) => p.key);
  if (purpose === undefined) return keys;
  if (!keys.includes(purpose))
    throw badRequest(
      `purpose: unknown purpose '${purpose}'${keys.length ? ` (expected one of ${keys.join(", ")})` : ""}`,
    );
  return [purpose];
}

/** A `purpose` filter of a read that does not split by purpose still names a purpose of the workspace (400 if not). */
export async function checkPurposeFilter(
  db: Db,
  workspaceId: number,
  purpose: string | undefined,
  scope?: MetricScope,
): Promise<void> {
  if (purpose !== undefined) reportedPurposes(scope ?? (await loadScope(db, workspaceId)), purpose);
}

export interface MetricOptions {
  /** "reference" computes from the raw events even where the rollups would do (benchmarks, tests). */
  path?: MetricPath;
  /** A scope already loaded (the Trust Index computes several metrics at once). */
  scope?: MetricScope;
  /**
   * Used when the query does not say: "exact" (the default of `computeMetric`, for the CLI, tests
   * and server code) applies every queued event first; the HTTP API and the screens ask "applied".
   */
  consistency?: Consistency;
  /** How an exact read applies the queue (the server's rollup scheduler, so its background run pauses). */
  catchUp?: (db: Db, workspaceId: number) => Promise<unknown>;
  /** Only the buckets are read: the period's totals come out as zeros (the Trust Index reads months alone). */
  seriesOnly?: boolean;
  /** Only the period's totals are read: every bucket comes out as zeros (the Overview's KPIs read totals alone). */
  totalsOnly?: boolean;
}

/** The rollup grain that answers this query, or null for the raw events. */
export function rollupGrainFor(
  scope: MetricScope,
  windows: Window[],
  options: MetricOptions,
  _subjectFilters: { region?: string; channel?: string },
): RollupGrain | null {
  if (options.path === "reference" || !scope.rollupsReady) return null;
  return rollupGrain(windows);
}

/** The region/channel filters as a rollup selection (`metric_tally_attr`), or undefined without them. */
export const attributesOf = (p: { region?: string; channel?: string }) =>
  p.region === undefined && p.channel === undefined ? undefined : { region: p.region, channel: p.channel };

/** Which windows a metric reads, from its options. */
export const readOf = (o: MetricOptions) => ({ total: !o.seriesOnly, buckets: !o.totalsOnly });

/** What every per-period metric starts from: its scope, the purposes it reports, its buckets and where it reads. */
export async function preparePeriod(
  db: Db,
  workspaceId: number,
  params: ResolvedParams,
  options: MetricOptions,
) {
  const scope = options.scope ?? (await loadScope(db, workspaceId));
  const keys = reportedPurposes(scope, params.purpose);
  const plan = periodPlan(params.from, params.to, params.granularity, readOf(options));
  return { scope, keys, plan, grain: rollupGrainFor(scope, plan.windows, options, params) };
}

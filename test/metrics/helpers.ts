import { expect } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { rows, type Db } from "@/db/client";
import { ingestEvents } from "@/lib/ingest";
import { computeMetric } from "@/lib/metrics";
import { metricDifferences } from "@/lib/metrics/compare";
import type { MetricOptions } from "@/lib/metrics/scope";

export function expectSame(expected: unknown, actual: unknown): void {
  expect(metricDifferences(expected, actual).slice(0, 10)).toEqual([]);
}

export async function ingest(db: Db, workspaceId: number, events: unknown[], chunk = 1000): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    const s = await ingestEvents(db, workspaceId, events.slice(i, i + chunk), "import", i);
    expect(s.rejected).toEqual([]);
  }
}

/** The metric from the rollups where they apply and from the raw events: the two must agree. */
export async function bothPaths(
  db: Db,
  workspaceId: number,
  name: string,
  query: Record<string, string | undefined>,
  options: MetricOptions = {},
) {
  const fast = await computeMetric(db, workspaceId, name, query, options);
  const reference = await computeMetric(db, workspaceId, name, query, { ...options, path: "reference" });
  return { fast, reference };
}

/** Events of the workspace queued for the rollups and not applied yet. */
export const queued = async (db: Db, workspaceId: number) =>
  Number(
    (
      await rows<{ n: unknown }>(
        db,
        sql`SELECT count(*) AS n FROM metric_pending WHERE workspace_id = ${workspaceId}`,
      )
    )[0]?.n,
  );

/** The statements that read the raw `events` table while `read` runs on a recording handle of `db`. */
export async function recordedEventReads(
  db: Db,
  read: (recording: Db) => Promise<unknown>,
): Promise<string[]> {
  const dialect = new PgDialect();
  const sent: string[] = [];
  const recording = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "execute") return Reflect.get(target, prop, receiver) as unknown;
      return (query: SQL) => {
        sent.push(dialect.sqlToQuery(query).sql);
        return target.execute(query);
      };
    },
  });
  await read(recording);
  expect(sent.length).toBeGreaterThan(0);
  return sent.filter((s) => /\b(from|join)\s+events\b/i.test(s));
}

/**
 * The statements that read the raw `events` table while the metric is computed (as applied: the
 * queue is not touched), to check that the rollups answered.
 */
export const eventReads = (
  db: Db,
  workspaceId: number,
  name: string,
  query: Record<string, string | undefined>,
): Promise<string[]> =>
  recordedEventReads(db, (recording) =>
    computeMetric(recording, workspaceId, name, query, { consistency: "applied" }),
  );

const REGIONS = ["DE", "FR", "GB", "US-CA", "US-NY"];
const CHANNELS = ["web", "app", "store", "email"];
const other = (values: string[], v: unknown, k: number) =>
  values[(values.indexOf(String(v)) + 1 + k) % values.length]!;

/**
 * Seed events plus movers: every `every`-th event (with a subject) is repeated `(i % steps) × stepDays` days plus
 * `offsetMs` later (or the same day) with another region (even i; odd i: none, so the subject keeps its own) and,
 * unless i is a multiple of `keepChannelEvery`, another channel — a subject who moves region, channel or both.
 */
export function withMovers(
  seed: Record<string, unknown>[],
  o: { every: number; steps: number; stepDays: number; offsetMs: number; keepChannelEvery: number },
): Record<string, unknown>[] {
  const moves = seed.flatMap((e, i) => {
    if (i % o.every !== 0 || !e.subject) return [];
    const later = new Date(
      Date.parse(e.occurred_at as string) + (i % o.steps) * o.stepDays * 86_400_000 + o.offsetMs,
    );
    if (later.getTime() > Date.now()) return [];
    const move: Record<string, unknown> = {
      ...e,
      id: `${e.id as string}-move`,
      occurred_at: later.toISOString().replace(".000", ""),
    };
    if (i % 2 === 0) move.region = other(REGIONS, e.region, i);
    else delete move.region;
    if (i % o.keepChannelEvery !== 0) move.channel = other(CHANNELS, e.channel, i);
    return [move];
  });
  return [...seed, ...moves];
}

/**
 * A workspace's rollups as digests computed in SQL: per table and grain/measure (first use: per field), the row count
 * and an md5 of the rows in order, so two states compare in a few rows and a difference names where it is (read
 * whole, the 240,000 attributed rows of 6,000 seed events with movers took 8 s on PGlite). Value sums are few and
 * compared as they are.
 */
export async function rollupDigests(db: Db, workspaceId: number) {
  const digest = (table: string, group: string, columns: string) =>
    rows<{ group: string; n: number; digest: string }>(
      db,
      sql.raw(`SELECT ${group} AS group, count(*)::int AS n,
                      md5(string_agg(ROW(${columns})::text, '|' ORDER BY ${columns})) AS digest
               FROM ${table} WHERE workspace_id = ${Number(workspaceId)}${table === "metric_first_use" ? "" : " AND n <> 0"}
               GROUP BY 1 ORDER BY 1`),
    );
  return {
    tally: await digest("metric_tally", "grain || ' ' || measure", "key, dim, x, y, z, n"),
    attributed: await digest(
      "metric_tally_attr",
      "grain || ' ' || measure",
      "key, region, channel, dim, x, y, z, vf, vt, n",
    ),
    firstUse: await digest(
      "metric_first_use",
      "field",
      "subject, vf, collected_at, context, used_at, region, channel, vt",
    ),
    value: await rows(
      db,
      sql`SELECT purpose, day, currency, amount::text FROM metric_value_daily WHERE workspace_id = ${workspaceId} ORDER BY 1, 2, 3`,
    ),
  };
}

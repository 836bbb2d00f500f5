import "server-only";
import type { Db } from "@/db/client";
import { catchUpMetricState } from "@/lib/metrics/state/apply";
import { analyzeTables, type RollupScheduler } from "@/lib/metrics/state/scheduler";
import { ingestSignals, type SignalBatchOptions, type SignalSummary } from "@/lib/signals/ingest";
import type { SignalSource } from "@/lib/signals/signal";
import { ingestEvents, type IngestSummary, type IngestVia } from "./index";
import { ingestRecords, type RecordsOptions, type RecordsSummary } from "./records";

/**
 * The one way into the event store: a batch (API, campaign), a stream of records (upload, `tl import`, the demo),
 * a batch or stream of consent signals (signals API, `tl import --format tcf|…`). Each stores its events in
 * batches that commit on their own and then has the metric rollups count them, in the way its caller needs:
 */
export type RollupCatchUp =
  /** A server request: in the background of this process, ingestion first (lib/metrics/state/scheduler.ts). */
  | { mode: "background"; scheduler: Pick<RollupScheduler, "accepted"> }
  /**
   * The CLI and the demo: before the call returns, so the process may exit with the rollups exact.
   * `analyzeAfter` (the embedded database, which has no autovacuum): when at least this many events
   * were applied, the tables are analyzed before the call returns.
   */
  | { mode: "now"; onStart?: () => void; progress?: (applied: number) => void; analyzeAfter?: number };

/** The app's scheduler (`(await appDatabase()).rollups`) counts the events after the request. */
export const inBackground = (scheduler: Pick<RollupScheduler, "accepted">): RollupCatchUp => ({
  mode: "background",
  scheduler,
});
export const NOW: RollupCatchUp = { mode: "now" };

/** Has the rollups count `accepted` new events; the only caller of the scheduler. */
async function countInRollups(
  db: Db,
  workspaceId: number,
  accepted: number,
  rollups: RollupCatchUp,
): Promise<void> {
  if (rollups.mode === "background") {
    if (accepted) rollups.scheduler.accepted(workspaceId, accepted);
    return;
  }
  rollups.onStart?.();
  const applied = await catchUpMetricState(db, workspaceId, rollups.progress);
  if (rollups.analyzeAfter !== undefined && applied >= rollups.analyzeAfter) await analyzeTables(db);
}

/**
 * Runs `store`; the rollups count what it stored, also when it stops half-way (a stream with a bad record stores
 * what came before it): a background catch-up is scheduled; a waited-for one is left to the next metric read.
 */
async function storing<T extends { accepted: number }>(
  db: Db,
  workspaceId: number,
  rollups: RollupCatchUp,
  store: () => Promise<T>,
): Promise<T> {
  let summary: T;
  try {
    summary = await store();
  } catch (e) {
    // How many were stored is not known here: a catch-up with nothing queued ends at once.
    if (rollups.mode === "background") await countInRollups(db, workspaceId, 1, rollups);
    throw e;
  }
  await countInRollups(db, workspaceId, summary.accepted, rollups);
  return summary;
}

/** One batch of events (at most MAX_BATCH_EVENTS), stored in one transaction. */
export const ingestBatch = (
  db: Db,
  workspaceId: number,
  events: readonly unknown[],
  via: IngestVia,
  rollups: RollupCatchUp,
): Promise<IngestSummary> =>
  storing(db, workspaceId, rollups, () => ingestEvents(db, workspaceId, events, via));

/** A stream of event records of any length, in batches of MAX_BATCH_EVENTS (lib/ingest/records.ts). */
export const ingestStream = (
  db: Db,
  workspaceId: number,
  records: AsyncIterable<unknown>,
  via: IngestVia,
  options: RecordsOptions,
  rollups: RollupCatchUp,
): Promise<RecordsSummary> =>
  storing(db, workspaceId, rollups, () => ingestRecords(db, workspaceId, records, via, options));

/** One batch of consent signals, turned into the consent events that change something (lib/signals). */
export const ingestSignalBatch = (
  db: Db,
  workspaceId: number,
  signals: readonly unknown[],
  options: SignalBatchOptions,
  rollups: RollupCatchUp,
): Promise<SignalSummary> =>
  storing(db, workspaceId, rollups, () => ingestSignals(db, workspaceId, signals, options));

/** Signals read from a stream per this many: each chunk sees the consent the earlier ones stored. */
const SIGNAL_CHUNK = 2000;

export interface SignalStreamSummary {
  accepted: number;
  duplicates: number;
  unchanged: number;
  rejected: SignalSummary["rejected"];
  rejected_count: number;
  events: string[];
}

export interface SignalStreamOptions {
  /** The kind of every signal; undefined: each record has its own `kind`. */
  kind?: SignalSource;
  /** The summary lists at most this many rejections and event ids; `rejected_count` has them all. */
  maxListed: number;
  progress?: (read: number, summary: SignalStreamSummary) => void;
}

/** A stream of consent signals, in chunks. */
export const ingestSignalStream = (
  db: Db,
  workspaceId: number,
  records: AsyncIterable<unknown>,
  options: SignalStreamOptions,
  rollups: RollupCatchUp,
): Promise<SignalStreamSummary> =>
  storing(db, workspaceId, rollups, async () => {
    const summary: SignalStreamSummary = {
      accepted: 0,
      duplicates: 0,
      unchanged: 0,
      rejected: [],
      rejected_count: 0,
      events: [],
    };
    let chunk: unknown[] = [];
    let offset = 0;
    const flush = async () => {
      const result = await ingestSignals(db, workspaceId, chunk, { kind: options.kind, indexOffset: offset });
      offset += chunk.length;
      chunk = [];
      summary.accepted += result.accepted;
      summary.duplicates += result.duplicates;
      summary.unchanged += result.unchanged;
      summary.rejected_count += result.rejected.length;
      summary.rejected.push(...result.rejected.slice(0, options.maxListed - summary.rejected.length));
      summary.events.push(...result.events.slice(0, options.maxListed - summary.events.length));
      options.progress?.(offset, summary);
    };
    for await (const record of records) {
      chunk.push(record);
      if (chunk.length >= SIGNAL_CHUNK) await flush();
    }
    if (chunk.length) await flush();
    return summary;
  });

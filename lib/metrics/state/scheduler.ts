import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { errorFields, log } from "@/lib/log";
import { APPLY_CHUNK, applyQueuedChunk, catchUpMetricState, CLAIM_CHUNK, hasQueued } from "./apply";

/** A background catch-up starts after this long without a batch … */
const QUIET_MS = 250;
/** … or once this many events of the workspace wait; and while batches keep arriving … */
const START_BACKLOG = 500_000;
/**
 * … it applies one claim per transaction and spends at most this share of the time applying,
 * pausing between transactions (never inside one: an open transaction would keep vacuum from
 * pruning the rows ingestion updates, and every batch would slow down).
 */
const BUSY_SHARE = 0.25;
/** The fewest events a sized background transaction takes (see `sliceMs`). */
const MIN_SLICE = 50;

/**
 * The embedded database (PGlite) has no autovacuum, so its planner's statistics stay those of the
 * last ANALYZE while the tables grow (a filtered dormant-data read on 20,000 events beside 100,000
 * others took 996 ms instead of 35 ms; the raw-event reference of a filtered 90-day daily view on
 * 10,000 events, 23 s instead of 1.5 s). Its tables are analyzed after this many events applied.
 */
export const EMBEDDED_ANALYZE_EVERY = 20_000;

/**
 * ANALYZE of every table of the schema, one statement each, with a turn for the requests between
 * them; `stopped` ends it early (a shutdown).
 */
export async function analyzeTables(db: Db, stopped: () => boolean = () => false): Promise<void> {
  const tables = await rows<{ name: string }>(
    db,
    sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  for (const { name } of tables) {
    if (stopped()) return;
    await db.execute(sql`ANALYZE ${sql.identifier(name)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Keeps one database's metric rollups caught up in the background of this process: every batch
 * accepted (API, upload, signals, CLI import through the app) is reported with `accepted`.
 * Ingestion comes first: a catch-up starts once no batch has arrived for QUIET_MS, or when
 * START_BACKLOG events are waiting, and while batches keep arriving it takes at most BUSY_SHARE
 * of the time (after a transaction that took t, it pauses 3t), so a long stream is accepted at
 * nearly the rate of a short one and the rollups catch up at full speed once it ends. One run per
 * workspace at a time; a batch during a run makes it go round again.
 *
 * All of its state is in the object, owned by the app's database handle (lib/server/database.ts):
 * nothing is shared through module variables, and a test can have one of its own.
 */
export class RollupScheduler {
  private readonly running = new Map<number, Promise<void>>();
  private readonly again = new Set<number>();
  private readonly backlog = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private stopping = false;
  /** Catch-ups someone waits for (an exact read): the background runs stop pausing meanwhile. */
  private waitedFor = 0;
  /** When this process last accepted a batch, of any workspace: ingestion and the applier share its CPU. */
  private lastBatchAt = Number.NEGATIVE_INFINITY;

  /** Events applied since the tables were last analyzed (see `analyzeEvery`). */
  private appliedSinceAnalyze = 0;

  /** Events per background transaction when `sliceMs` is set: adapted after each transaction. */
  private sliceSize = 500;

  /**
   * `sliceMs`: the embedded database (PGlite) answers one statement at a time and holds every other
   * query back while a transaction is open, so there a background transaction is sized to take
   * about this long (between MIN_SLICE and CLAIM_CHUNK events, adapted to the last one's time) and
   * sign-in and reads get in between. Unset (a server): full claims and chunks.
   *
   * `analyzeEvery` (the embedded database: EMBEDDED_ANALYZE_EVERY): after a background run that
   * leaves the queue empty with at least this many events applied since the last time, the tables
   * are analyzed one at a time (each a statement of its own, so reads get in between). Unset (a
   * server): autovacuum does it.
   */
  constructor(
    private readonly db: Db,
    private readonly sliceMs?: number,
    private readonly analyzeEvery?: number,
  ) {}

  private ingesting(): boolean {
    return performance.now() - this.lastBatchAt < QUIET_MS;
  }

  /** Reports a batch of `accepted` new events of the workspace: its catch-up is scheduled. */
  accepted(workspaceId: number, accepted: number): void {
    if (this.stopping || accepted <= 0) return;
    this.lastBatchAt = performance.now();
    const waiting = (this.backlog.get(workspaceId) ?? 0) + accepted;
    this.backlog.set(workspaceId, waiting);
    clearTimeout(this.timers.get(workspaceId));
    this.timers.delete(workspaceId);
    if (waiting >= START_BACKLOG) this.start(workspaceId);
    else this.timers.set(workspaceId, setTimeout(() => this.start(workspaceId), QUIET_MS).unref());
  }

  /**
   * Applies the workspace's whole queue now and resolves when done (an exact read): background
   * runs stop yielding to ingestion meanwhile.
   */
  catchUp = async (db: Db, workspaceId: number, onProgress?: (n: number) => void): Promise<number> => {
    this.waitedFor++;
    try {
      if (!this.sliceMs) return await catchUpMetricState(db, workspaceId, onProgress);
      // PGlite: in sized transactions too, so sign-in and reads get in between.
      let applied = 0;
      while (await hasQueued(db, workspaceId)) {
        applied += (await this.applySlice(db, workspaceId, APPLY_CHUNK, () => true)).taken;
        onProgress?.(applied);
      }
      return applied;
    } finally {
      this.waitedFor--;
    }
  };

  /**
   * One transaction of the workspace's queue: `fullSize` events, or with `sliceMs` as many as take
   * about that long (adapted to the last transaction's time); then a turn for the requests that
   * waited for it.
   */
  private async applySlice(
    db: Db,
    workspaceId: number,
    fullSize: number,
    keepClaiming: () => boolean,
  ): Promise<{ taken: number; took: number }> {
    const started = performance.now();
    const limit = this.sliceMs ? this.sliceSize : fullSize;
    const taken = await applyQueuedChunk(db, workspaceId, limit, Math.min(limit, CLAIM_CHUNK), keepClaiming);
    this.appliedSinceAnalyze += taken;
    const took = performance.now() - started;
    if (this.sliceMs)
      this.sliceSize = Math.round(
        Math.min(CLAIM_CHUNK, Math.max(MIN_SLICE, (limit * this.sliceMs) / Math.max(1, took))),
      );
    await new Promise((resolve) => setImmediate(resolve));
    return { taken, took };
  }

  /** Resolves when no background run is in progress (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size || this.timers.size) {
      if (this.running.size) await Promise.all(this.running.values());
      else await new Promise((r) => setTimeout(r, QUIET_MS / 5));
    }
  }

  /** Lets the background runs finish the chunk they are in and stop (shutdown): the rest stays queued. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    while (this.running.size) await Promise.all(this.running.values());
  }

  /**
   * Yields to ingestion: waits (1 / BUSY_SHARE − 1) × `busyMs`, less when ingestion goes quiet, an
   * exact read waits for the rollups or the process stops.
   */
  private async yieldToIngestion(busyMs: number): Promise<void> {
    const until = performance.now() + busyMs * (1 / BUSY_SHARE - 1);
    while (!this.stopping && !this.waitedFor && this.ingesting() && performance.now() < until) {
      await new Promise((r) => setTimeout(r, Math.min(50, until - performance.now())).unref());
    }
  }

  private start(workspaceId: number): void {
    this.timers.delete(workspaceId);
    this.backlog.set(workspaceId, 0);
    if (this.running.has(workspaceId)) {
      this.again.add(workspaceId);
      return;
    }
    const run = async () => {
      do {
        this.again.delete(workspaceId);
        while (!this.stopping && (await hasQueued(this.db, workspaceId))) {
          const { took } = await this.applySlice(
            this.db,
            workspaceId,
            this.ingesting() ? CLAIM_CHUNK : APPLY_CHUNK,
            () => !this.stopping,
          );
          await this.yieldToIngestion(took);
        }
      } while (!this.stopping && this.again.has(workspaceId));
      if (this.analyzeEvery && !this.stopping && this.appliedSinceAnalyze >= this.analyzeEvery) {
        this.appliedSinceAnalyze = 0;
        await analyzeTables(this.db, () => this.stopping);
      }
    };
    this.running.set(
      workspaceId,
      run()
        .catch((e) =>
          log("error", "catching up the metric rollups failed; the next batch or exact read retries", {
            workspace: workspaceId,
            ...errorFields(e),
          }),
        )
        .finally(() => this.running.delete(workspaceId)),
    );
  }
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Database, type Db } from "@/db/client";
import { AppError } from "@/lib/errors";

/** Why a read stopped before its answer. */
export class ReadStopped extends AppError {
  constructor(
    readonly reason: "budget" | "aborted",
    message: string,
  ) {
    super("unavailable", message, { reason });
  }
}

export interface ReadLimits {
  /** The read's time budget once it runs (TL_READ_BUDGET_MS): over it, the read stops with a 503. */
  budgetMs: number;
  /** The request's signal: when the client goes away the read is dropped from the queue or cancelled. */
  signal?: AbortSignal;
  /** Who asks (an API key, a signed-in user): their reads are capped and take turns with other callers'. */
  caller?: ReadCaller;
}

/** Whose read it is, and how many of their reads may wait or run at once. */
export interface ReadCaller {
  id: string;
  maxReads: number;
}

/** A script with an API key has no screen to fill: a few reads at once are plenty. */
export const API_KEY_READS = 4;
/** A signed-in user's screen asks for all its cards at once when the view changes (the Overview: 16 reads). */
export const SESSION_READS = 24;

export const apiKeyCaller = (keyId: number): ReadCaller => ({ id: `key:${keyId}`, maxReads: API_KEY_READS });
export const sessionCaller = (userId: number): ReadCaller => ({
  id: `user:${userId}`,
  maxReads: SESSION_READS,
});

const tooManyReads = (caller: ReadCaller, budgetMs: number) =>
  new AppError(
    "rate_limited",
    `too many reads at once: this caller already has ${caller.maxReads} reads waiting or running; ` +
      "wait for their answers before asking for more",
    { retryAfter: Math.max(1, Math.ceil(budgetMs / 1000)) },
  );

const overBudget = (budgetMs: number) =>
  new ReadStopped(
    "budget",
    `the read took longer than its budget of ${budgetMs} ms (TL_READ_BUDGET_MS) and was stopped; ` +
      "narrow the filters or the period, or ask again later",
  );
const clientGone = () => new ReadStopped("aborted", "the client went away: the read was cancelled");

/** Gives the event loop a turn (health checks, sign-in, ingestion get in between a read's statements). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The handle a read works with: before each statement it checks the read may go on (and gives the
 * event loop a turn), so a read over budget or abandoned stops between statements on both databases.
 */
function guarded(db: Db, check: () => void): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "execute")
        return async (query: unknown) => {
          check();
          await turn();
          check();
          return (value as (q: unknown) => Promise<unknown>).call(target, query);
        };
      if (prop === "transaction")
        return (work: (tx: Db) => Promise<unknown>, config?: unknown) =>
          (value as (w: (tx: Db) => Promise<unknown>, c?: unknown) => Promise<unknown>).call(
            target,
            (tx) => work(guarded(tx, check)),
            config,
          );
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Dashboard and API reads go through this gate, one per database handle. At most `slots` reads run
 * at once (PGlite: 1, it answers one query at a time; a server: the pool less two, so sign-in,
 * health, ingestion and cancellations always find a connection); the others wait in order, and a
 * waiting read whose client goes away leaves the queue. A running read has a time budget:
 * - on PostgreSQL it runs in a transaction with `SET LOCAL statement_timeout` = the budget, and at
 *   the budget (or when the client goes away) its statement is cancelled with `pg_cancel_backend`
 *   from another connection; nothing is left running and the connection goes back to the pool;
 * - on PGlite (one connection; its statements cannot be interrupted) it stops before its next
 *   statement, so it holds the queue at most its budget plus one statement. In the app server PGlite
 *   runs on a thread of its own (`db/pglite-remote.ts`): a running statement never holds the
 *   server's other requests, only the database's next statement.
 * Either way the read fails with a `ReadStopped` (503 naming the budget).
 * A caller's reads are capped (waiting and running together; over it: 429 with Retry-After), and a
 * free slot goes to the waiting read of the caller served longest ago, so one caller's burst of heavy
 * reads cannot hold everyone else's behind it.
 */
export class ReadGate {
  private active = 0;
  private readonly waiting: { caller: string; go: () => void }[] = [];
  /** Reads waiting or running per caller. */
  private readonly pending = new Map<string, number>();
  /** When each caller with pending reads last got a slot (a turn number); never served: absent. */
  private readonly served = new Map<string, number>();
  private turns = 0;
  readonly slots: number;

  constructor(
    private readonly database: Database,
    poolSize: number,
  ) {
    this.slots = database.kind === "pglite" ? 1 : Math.max(1, poolSize - 2);
  }

  /** Reads waiting for a slot and running now. */
  get load(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.waiting.length };
  }

  async run<T>(limits: ReadLimits, work: (db: Db) => Promise<T>): Promise<T> {
    if (limits.signal?.aborted) throw clientGone();
    const caller = limits.caller?.id ?? "";
    const pending = this.pending.get(caller) ?? 0;
    if (limits.caller && pending >= limits.caller.maxReads)
      throw tooManyReads(limits.caller, limits.budgetMs);
    this.pending.set(caller, pending + 1);
    try {
      await this.acquire(caller, limits.signal);
      try {
        return await (this.database.kind === "postgres"
          ? this.runOnServer(limits, work)
          : this.runEmbedded(limits, work));
      } finally {
        this.active--;
        this.next()?.go();
      }
    } finally {
      const left = (this.pending.get(caller) ?? 1) - 1;
      if (left > 0) this.pending.set(caller, left);
      else {
        this.pending.delete(caller);
        this.served.delete(caller);
      }
    }
  }

  /** Takes the waiting read whose caller was served longest ago (never first), the earliest of theirs. */
  private next(): { caller: string; go: () => void } | undefined {
    let best = -1;
    let bestTurn = Infinity;
    this.waiting.forEach((w, i) => {
      const turn = this.served.get(w.caller) ?? -1;
      if (turn < bestTurn) [best, bestTurn] = [i, turn];
    });
    return best < 0 ? undefined : this.waiting.splice(best, 1)[0];
  }

  private start(caller: string): void {
    this.active++;
    this.served.set(caller, ++this.turns);
  }

  private async acquire(caller: string, signal?: AbortSignal): Promise<void> {
    if (this.active < this.slots) {
      this.start(caller);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        caller,
        go: () => {
          signal?.removeEventListener("abort", leave);
          this.start(caller);
          resolve();
        },
      };
      const leave = () => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(clientGone());
      };
      signal?.addEventListener("abort", leave, { once: true });
      this.waiting.push(entry);
    });
  }

  private async runEmbedded<T>(limits: ReadLimits, work: (db: Db) => Promise<T>): Promise<T> {
    const deadline = performance.now() + limits.budgetMs;
    return work(
      guarded(this.database.db, () => {
        if (limits.signal?.aborted) throw clientGone();
        if (performance.now() > deadline) throw overBudget(limits.budgetMs);
      }),
    );
  }

  private async runOnServer<T>(limits: ReadLimits, work: (db: Db) => Promise<T>): Promise<T> {
    const { budgetMs, signal } = limits;
    let stopped: ReadStopped | undefined;
    try {
      return await this.database.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(budgetMs))}`));
        const [backend] = await rows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
        let done = false;
        let cancelling: Promise<unknown> = Promise.resolve();
        const stop = (why: ReadStopped) => {
          if (done || stopped) return;
          stopped = why;
          // On another connection; awaited below before this one goes back to the pool, so a late
          // cancel can never reach the next user of the connection.
          cancelling = rows(this.database.db, sql`SELECT pg_cancel_backend(${backend!.pid})`).catch(() => {});
        };
        const onAbort = () => stop(clientGone());
        signal?.addEventListener("abort", onAbort, { once: true });
        const timer = setTimeout(() => stop(overBudget(budgetMs)), budgetMs);
        try {
          return await work(
            guarded(tx, () => {
              if (signal?.aborted) stop(clientGone());
              if (stopped) throw stopped;
            }),
          );
        } finally {
          done = true;
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          await cancelling;
        }
      });
    } catch (e) {
      if (stopped) throw stopped;
      if ((e as { code?: string })?.code === "57014" || causeCode(e) === "57014") throw overBudget(budgetMs);
      throw e;
    }
  }
}

function causeCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code;
}

import { Worker } from "node:worker_threads";
import type { Reply, Request } from "./pglite-protocol";

type Call = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

interface QueryOptions {
  rowMode?: "array" | "object";
  parsers?: Record<number, (value: string, typeId: number) => unknown>;
}

interface QueryResult<T> {
  rows: T[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** What drizzle's PGlite driver calls on a client or on a transaction of one. */
interface Queryable {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>>;
  exec(sql: string): Promise<QueryResult<unknown>[]>;
}

/** The parsers drizzle hands PGlite only keep PostgreSQL's text; anything else cannot cross threads. */
function rawTypes(options?: QueryOptions): number[] {
  return Object.entries(options?.parsers ?? {}).map(([oid, parse]) => {
    if (parse("x", Number(oid)) !== "x")
      throw new Error(
        `pglite-remote: the parser of type ${oid} is not an identity and cannot run on the database thread`,
      );
    return Number(oid);
  });
}

const TS_BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
import("tsx/esm/api").then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));
`;

function rebuild(error: NonNullable<Reply["error"]>): Error {
  const e = new Error(error.message);
  if (error.name) e.name = error.name;
  return Object.assign(e, error.fields ?? {});
}

/**
 * PGlite on a worker thread (`pglite-worker.ts`), with the part of PGlite's interface that drizzle
 * uses: `query`, `exec`, `transaction`, `close`. The database answers one statement at a time as
 * before, but the statements run off this thread, so the server keeps answering while one runs.
 */
export class PGliteRemote implements Queryable {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private lastAnswer = performance.now();
  private failed: Error | undefined;
  private closing = false;
  readonly waitReady: Promise<void>;

  /** `onLost`: the thread ended or failed; every call from then on fails with this error. */
  constructor(dir?: string, onLost?: (error: Error) => void) {
    // In the built server (Next sets NEXT_RUNTIME) the bundler has compiled the worker as an entry of
    // its own. From source (the tests, the CLI under tsx) it is a .ts file, which Node 20 does not load
    // in a worker even under tsx: a two-line bootstrap registers tsx in the thread first.
    this.worker =
      process.env.NEXT_RUNTIME === "nodejs"
        ? new Worker(new URL("./pglite-worker.ts", import.meta.url), { workerData: { dir } })
        : new Worker(TS_BOOTSTRAP, {
            eval: true,
            workerData: { dir, entry: String(new URL("./pglite-worker.ts", import.meta.url)) },
          });
    this.waitReady = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    this.worker.on("message", (reply: Reply) => {
      this.lastAnswer = performance.now();
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (reply.error) call.reject(rebuild(reply.error));
      else call.resolve(reply.result);
    });
    const fail = (e: Error) => {
      if (this.failed) return;
      this.failed = e;
      for (const call of this.pending.values()) call.reject(e);
      this.pending.clear();
      if (!this.closing) onLost?.(e);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) =>
      fail(new Error(`the embedded database's thread ended (exit code ${code})`)),
    );
  }

  /**
   * How long the database thread has been busy without answering (0 when nothing is asked of it):
   * a health check tells a database at work from one that stopped answering.
   */
  busyFor(): number {
    return this.pending.size === 0 ? 0 : performance.now() - this.lastAnswer;
  }

  private call<T>(request: Call): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.lastAnswer = performance.now();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker.postMessage({ ...request, id });
      } catch (e) {
        // A parameter that cannot be copied to the thread (a function, a symbol): nothing was sent.
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  private on(tx: number | undefined): Queryable {
    return {
      query: <T>(sql: string, params?: unknown[], options?: QueryOptions) =>
        this.call<QueryResult<T>>({
          op: "query",
          tx,
          sql,
          params,
          rowMode: options?.rowMode,
          rawTypes: rawTypes(options),
        }),
      exec: (sql: string) => this.call<QueryResult<unknown>[]>({ op: "exec", tx, sql }),
    };
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<T>> {
    return this.on(undefined).query<T>(sql, params, options);
  }

  exec(sql: string): Promise<QueryResult<unknown>[]> {
    return this.on(undefined).exec(sql);
  }

  /** As PGlite's: the work's queries run in one transaction, committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: Queryable & { rollback(): Promise<void> }) => Promise<T>): Promise<T> {
    const { tx } = await this.call<{ tx: number }>({ op: "begin" });
    let ended = false;
    const end = async (commit: boolean) => {
      if (ended) return;
      ended = true;
      await this.call({ op: "end", tx, commit });
    };
    let result: T;
    try {
      result = await work({ ...this.on(tx), rollback: () => end(false) });
    } catch (e) {
      await end(false).catch(() => {});
      throw e;
    }
    await end(true);
    return result;
  }

  /**
   * Closes the database, then ends the thread. PGlite's close waits for an open transaction: after
   * `timeoutMs` the thread is ended anyway (the data directory recovers on the next open, as after a crash).
   */
  async close(timeoutMs = 5000): Promise<void> {
    this.closing = true;
    if (!this.failed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.call({ op: "close" }).catch(() => {}),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    await this.worker.terminate();
  }
}

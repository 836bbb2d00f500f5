/**
 * The embedded database on a thread of its own. PGlite runs every statement synchronously on the
 * thread that holds it; in the app server that thread would be the one answering HTTP, so a 300 ms
 * statement would hold every request (health checks and sign-in too) for 300 ms. The server opens
 * PGlite here instead and talks to it by messages (`db/pglite-remote.ts`); this file imports nothing
 * of the app so that bundlers and `tsx` load it alone.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Reply, Request } from "./pglite-protocol";

const port = parentPort;
if (!port) throw new Error("pglite-worker: start this file as a worker thread");

const { dir } = workerData as { dir?: string };
const pg = dir ? new PGlite(dir) : new PGlite();
const transactions = new Map<number, { tx: Transaction; finish: (commit: boolean) => void }>();
/** Each open transaction's outcome: COMMIT's error, if any, is the answer to its `end`. */
const ends = new Map<number, Promise<void>>();
let nextTx = 1;

/** Rolls a transaction back without treating the rollback as an error. */
const ROLLBACK = Symbol("rollback");

/** Own properties of a PostgreSQL error (code, detail, constraint…), so the app sees what PGlite threw. */
function serialize(e: unknown): Reply["error"] {
  if (!(e instanceof Error)) return { message: String(e) };
  const fields: Record<string, unknown> = {};
  // Plain values only: the query's options hold drizzle's parser functions, which cannot be posted.
  for (const [key, value] of Object.entries(e))
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) fields[key] = value;
  return { message: e.message, name: e.name, fields };
}

const identity = (value: unknown) => value;

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case "query": {
      const target = request.tx === undefined ? pg : transactions.get(request.tx)?.tx;
      if (!target) throw new Error(`pglite-worker: transaction ${request.tx} is not open`);
      // drizzle keeps dates and times as PostgreSQL's text: the parsers it asks for are identities.
      const parsers = Object.fromEntries(request.rawTypes.map((oid) => [oid, identity]));
      return target.query(request.sql, request.params, { rowMode: request.rowMode, parsers });
    }
    case "exec": {
      const target = request.tx === undefined ? pg : transactions.get(request.tx)?.tx;
      if (!target) throw new Error(`pglite-worker: transaction ${request.tx} is not open`);
      return target.exec(request.sql);
    }
    case "begin": {
      const id = nextTx++;
      const opened = new Promise<number>((resolve, reject) => {
        const done = pg
          .transaction(
            (tx) =>
              new Promise<void>((commit, rollback) => {
                transactions.set(id, { tx, finish: (ok) => (ok ? commit() : rollback(ROLLBACK)) });
                resolve(id);
              }),
          )
          .catch((e: unknown) => {
            if (e !== ROLLBACK) throw e;
          })
          .finally(() => transactions.delete(id));
        ends.set(id, done);
        done.catch((e: unknown) => {
          ends.delete(id);
          reject(e);
        });
      });
      return { tx: await opened };
    }
    case "end": {
      const open = transactions.get(request.tx);
      const done = ends.get(request.tx);
      if (!open || !done) throw new Error(`pglite-worker: transaction ${request.tx} is not open`);
      open.finish(request.commit);
      try {
        await done;
      } finally {
        ends.delete(request.tx);
      }
      return null;
    }
    case "close":
      await pg.close();
      return null;
  }
}

/** Posts a reply; a result that cannot be copied to the app's thread is answered as an error instead. */
function reply(message: Reply): void {
  try {
    port!.postMessage(message);
  } catch (e) {
    port!.postMessage({ id: message.id, error: serialize(e) } satisfies Reply);
  }
}

port.on("message", (request: Request) => {
  handle(request).then(
    (result) => reply({ id: request.id, result }),
    (e: unknown) => reply({ id: request.id, error: serialize(e) }),
  );
});

pg.waitReady.then(
  () => reply({ id: 0, result: "ready" }),
  (e: unknown) => reply({ id: 0, error: serialize(e) }),
);

import {
  defaultShouldDehydrateQuery,
  dehydrate,
  QueryClient,
  type DehydratedState,
} from "@tanstack/react-query";
import type { Db } from "@/db/client";
import type { Member } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { appErrorStatus } from "@/lib/http";
import { gatedInsightRead, gatedMetricRead } from "@/lib/server/metric-reads";
import type { QueryParams } from "./query-keys";
import { unavailable } from "./unavailable";

export type Prefetch = [name: string, params: QueryParams, load: () => Promise<unknown>];

/** The same call as `GET /api/v1/metrics/<name>?<params>`, so the prefetched answer is the API's. */
export function metricPrefetch(_db: Db, member: Member, name: string, params: QueryParams): Prefetch {
  return [name, params, () => gatedMetricRead(member.workspaceId, name, params)];
}

/** The same call as `GET /api/v1/insights/<name>?<params>`. */
export function insightPrefetch(_db: Db, member: Member, name: string, params: QueryParams): Prefetch {
  return [name, params, () => gatedInsightRead(member, name, params)];
}

/**
 * Resolves once the event loop has gone quiet (`turns` turns in a row with nothing else to do), or after `maxMs`.
 * The embedded database computes on this thread: before each query React gets the turns it needs to render
 * and send what has arrived, and a busy machine gets more of them than an idle one.
 */
async function quiet(turns: number, maxMs: number): Promise<void> {
  const started = performance.now();
  let calm = 0;
  while (calm < turns && performance.now() - started < maxMs) {
    const turn = performance.now();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    calm = performance.now() - turn < 3 ? calm + 1 : 0;
  }
}

/** The read's answer, or for an error the API answers with a status (a 503 over budget) an `Unavailable` that says it. */
const answerOrUnavailable = (load: () => Promise<unknown>) => async (): Promise<unknown> => {
  try {
    return await load();
  } catch (e) {
    const status = appErrorStatus(e);
    if (status === undefined) throw e;
    return unavailable(status, (e as Error).message);
  }
};

/** Runs at most `slots` of the given work at once, in the order it was asked for, each after the server has had a quiet moment. */
function limiter(slots: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    // Six quiet turns: with two, a card's HTML was sometimes still waiting when the next query took the thread.
    await quiet(6, 250);
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Starts the lib calls behind a screen's queries on the server and hands them to the client cache under the keys its
 * hooks use without waiting for them: the page streams at once, and each card fills in as its answer arrives. The
 * calls run in the order given — the embedded database answers one query at a time, so interleaving every card's
 * queries would make the first card wait for the last — or four at a time on a PostgreSQL server.
 */
export function prefetchState(entries: Prefetch[]): DehydratedState {
  const client = new QueryClient({
    defaultOptions: {
      queries: { staleTime: Infinity, retry: false },
      dehydrate: {
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
  const run = limiter(env().DATABASE_URL ? 4 : 1);
  for (const [name, params, load] of entries)
    void client.prefetchQuery({ queryKey: [name, params], queryFn: () => run(answerOrUnavailable(load)) });
  return dehydrate(client);
}

/** For the little that every screen needs at once (names of purposes and fields): awaited, so it is in the first HTML. */
export async function prefetchedState(entries: Prefetch[]): Promise<DehydratedState> {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  await Promise.all(
    entries.map(([name, params, load]) => client.prefetchQuery({ queryKey: [name, params], queryFn: load })),
  );
  return dehydrate(client);
}

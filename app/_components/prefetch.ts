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
  return [name, params, () => gatedMetricRead(member, name, params)];
}

/** The same call as `GET /api/v1/insights/<name>?<params>`. */
export function insightPrefetch(_db: Db, member: Member, name: string, params: QueryParams): Prefetch {
  return [name, params, () => gatedInsightRead(member, name, params)];
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

/** Runs at most `slots` of the given work at once, in the order it was asked for. */
function limiter(slots: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
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
 * queries would make the first card wait for the last — or four at a time on a PostgreSQL server. The embedded
 * database works on a thread of its own (`db/pglite-remote.ts`), so React renders and sends each card's HTML
 * while the next query runs.
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

"use client";

import {
  QueryErrorResetBoundary,
  useQueryClient,
  useSuspenseQuery,
  type UseSuspenseQueryOptions,
} from "@tanstack/react-query";
import { Component, Suspense, useDeferredValue, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { csvSource, CsvSourceContext } from "./csv-source";
import type { QueryParams } from "./query-keys";
import { isUnavailable } from "./unavailable";

export function Skeleton({ height = 240, label = "Loading" }: { height?: number; label?: string }) {
  return (
    <div className="skeleton" style={{ height }} role="status" aria-live="polite" data-loading>
      <span className="sr-only">{label}…</span>
    </div>
  );
}

/** Nothing to show yet, and what to send to fill it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state" data-state="empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : "Something went wrong.";
  return (
    <div className="state state-error" role="alert" data-state="error">
      <strong>This could not be loaded.</strong>
      <span>{message}</span>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

class ErrorBoundary extends Component<{ onReset: () => void; children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <ErrorState
          error={this.state.error}
          onRetry={() => {
            this.props.onReset();
            this.setState({ error: null });
          }}
        />
      );
    }
    return this.props.children;
  }
}

/** Loading skeleton until the data under it arrives, an error with a retry if it fails: the same on every card. */
export function Boundary({
  height = 240,
  children,
  fallback,
}: {
  height?: number;
  children: ReactNode;
  fallback?: ReactNode;
}) {
  const client = useQueryClient();
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary
          onReset={() => {
            // A read that failed on the server is in the cache as an answer saying so: drop it, so it is asked again.
            client.removeQueries({ predicate: (q) => isUnavailable(q.state.data) });
            reset();
          }}
        >
          <Suspense fallback={fallback ?? <Skeleton height={height} />}>{children}</Suspense>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

type Options<T> = UseSuspenseQueryOptions<T, Error, T, readonly [string, QueryParams]>;

/** What a card shows once its data is there: an empty state (saying what to send) or the content. */
interface ContentProps<T> {
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  height?: number;
  children: (data: T) => ReactNode;
}

function Content<T>({ data, isEmpty, empty, children }: ContentProps<T> & { data: T }) {
  return <>{isEmpty?.(data) ? empty : children(data)}</>;
}

/** The content, with the answer as the source of the CSV exports under it (when it is a metric reading). */
function Resolved<T>({ query, ...content }: ContentProps<T> & { query: Options<T> }) {
  const { data } = useSuspenseQuery(query);
  return <WithSource queryKey={query.queryKey} data={data} {...content} />;
}

/** Marks a card whose content waits for the background render (`DeferredResolved`). */
const NOT_YET = Symbol("not yet drawn");

/**
 * As `Resolved`, but the content is drawn in a background render (React's deferred lane, which yields to the
 * browser between components): the card shows its skeleton until then. Every card but a screen's first is drawn this
 * way, so its first number is on screen before the charts under it are built — drawing them all in the one render
 * that the answers' arrival starts took the Purposes screen's first bar 1–1.7 s after its answer under load.
 */
function DeferredResolved<T>({ query, height, ...content }: ContentProps<T> & { query: Options<T> }) {
  const { data } = useSuspenseQuery(query);
  const shown = useDeferredValue<T | typeof NOT_YET>(data, NOT_YET);
  if (shown === NOT_YET) return <Skeleton height={height} />;
  return <WithSource queryKey={query.queryKey} data={shown} {...content} />;
}

function WithSource<T>({
  queryKey: [name, params],
  data,
  ...content
}: ContentProps<T> & { queryKey: Options<T>["queryKey"]; data: T }) {
  const source = useMemo(() => csvSource([[name, params, data]]), [name, params, data]);
  return (
    <CsvSourceContext.Provider value={source}>
      <Content data={data} {...content} />
    </CsvSourceContext.Provider>
  );
}

/** One prefetched query's card content: skeleton, error with retry, empty state, or the content. */
export function DataView<T>({
  query,
  height = 240,
  first = false,
  ...content
}: ContentProps<T> & {
  query: Options<T>;
  /** The screen's first content (`FIRST_CONTENT`): drawn as soon as its answer arrives, before the other cards. */
  first?: boolean;
}) {
  return (
    <Boundary height={height}>
      {first ? (
        <Resolved query={query} {...content} />
      ) : (
        <DeferredResolved query={query} height={height} {...content} />
      )}
    </Boundary>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  isError: boolean;
  isPlaceholderData?: boolean;
  refetch: () => unknown;
}

const subscribeNothing = () => () => {};

/** False on the server and during hydration, true after: for what must not differ from the server's HTML. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
}

/**
 * The same four states for a `useQuery` result. Until the page has hydrated it shows the skeleton, as the server
 * did: a streamed answer that arrives before hydration must not make the first client render differ from the HTML.
 */
export function QueryView<T>({ query, height = 240, ...content }: ContentProps<T> & { query: QueryLike<T> }) {
  const hydrated = useHydrated();
  if (!hydrated) return <Skeleton height={height} />;
  if (query.isError && !query.data)
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined) return <Skeleton height={height} />;
  return (
    <div
      aria-busy={query.isPlaceholderData ? true : undefined}
      style={query.isPlaceholderData ? { opacity: 0.6 } : undefined}
    >
      <Content data={query.data} {...content} />
    </div>
  );
}

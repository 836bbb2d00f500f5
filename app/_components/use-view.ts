"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { startTransition, useCallback, useEffect, useMemo } from "react";
import { useViewDefaults } from "./providers";
import { useCatalogQuery } from "./queries";
import { FILTER_KEYS, knownValues, readView, viewQuery, type View, type ViewProblem } from "./view";

const VIEW_KEYS = new Set<string>(["from", "to", "granularity", ...FILTER_KEYS]);

export interface ViewState {
  view: View;
  /** Parameters of the URL that could not be used, each with what is shown instead. */
  problems: ViewProblem[];
  /** The view's query string: the same parameters as the metrics API. */
  query: string;
  /** Parameters one screen adds to the view (breakdown, context). */
  extra: (key: string) => string | undefined;
  setView: (patch: Partial<View>, extra?: Record<string, string | undefined>) => void;
}

/**
 * The screen's view from the URL. Changing it pushes a history entry without a server round trip: the
 * client queries fetch what the new view needs, and the URL stays a link that reproduces the view.
 */
export function useView(): ViewState {
  const search = useSearchParams();
  const pathname = usePathname();
  const defaults = useViewDefaults();
  const catalog = useCatalogQuery();
  const queryClient = useQueryClient();
  const { view, problems } = useMemo(
    () => readView(new URLSearchParams(search.toString()), defaults, knownValues(catalog)),
    [search, defaults, catalog],
  );
  const query = viewQuery(view);

  useEffect(() => {
    // A URL without the period gets the defaults written into it, so that copying it later gives this same view.
    if (!search.get("from") || !search.get("to") || !search.get("granularity")) {
      const kept = Object.fromEntries([...search.entries()].filter(([key]) => !VIEW_KEYS.has(key)));
      window.history.replaceState(null, "", `${pathname}?${viewQuery(view, kept)}${window.location.hash}`);
    }
  }, [search, pathname, view]);

  const setView = useCallback(
    (patch: Partial<View>, extra: Record<string, string | undefined> = {}) => {
      // The base is the URL as it is now, not `view`: while a transition is pending, `view` is still the
      // one before it, and a second change (a preset picked while the channel's update ran) would drop the first.
      const latest = readView(
        new URLSearchParams(window.location.search),
        defaults,
        knownValues(catalog),
      ).view;
      const next: View = { ...latest, ...patch };
      for (const key of FILTER_KEYS) if (!next[key]) delete next[key];
      // Parameters that only one screen reads (breakdown, context) stay unless changed.
      const kept: Record<string, string | undefined> = {};
      new URLSearchParams(window.location.search).forEach((value, key) => {
        if (!VIEW_KEYS.has(key)) kept[key] = value;
      });
      // The answers a pending change was waiting for are not wanted any more: no card on screen observes
      // them (a suspended card subscribes only once it shows). Their fetches are aborted, and the server
      // cancels their reads; one still wanted is simply asked again.
      void queryClient.cancelQueries({
        predicate: (q) => q.state.fetchStatus === "fetching" && q.getObserversCount() === 0,
      });
      // A transition: the cards keep the current view on screen until the new one's answers arrive.
      startTransition(() =>
        window.history.pushState(null, "", `${pathname}?${viewQuery(next, { ...kept, ...extra })}`),
      );
    },
    [pathname, defaults, catalog, queryClient],
  );
  return { view, problems, setView, query, extra: (key) => search.get(key) ?? undefined };
}

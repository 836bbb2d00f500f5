"use client";

import { useQueryClient, type Query } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import { useFormats } from "./providers";

/** How often the screen asks again while events are still being counted. */
const RECHECK_MS = 3000;

const pendingOf = (query: Query): number => {
  const data = query.state.data as { pending_events?: unknown } | undefined;
  return typeof data?.pending_events === "number" ? data.pending_events : 0;
};

/**
 * One notice per screen (in the dashboard layout, above every card): "N events are still being
 * counted" while any metric answer on the screen says some committed events are not in the rollups
 * yet (`pending_events`, the most of them). Meanwhile those answers are asked again every few
 * seconds, so the cards and the notice catch up on their own.
 */
export function PendingNotice() {
  const client = useQueryClient();
  const cache = client.getQueryCache();
  const pending = useSyncExternalStore(
    (onChange) => cache.subscribe(onChange),
    () =>
      Math.max(
        0,
        ...cache
          .getAll()
          .filter((q) => q.getObserversCount() > 0)
          .map(pendingOf),
      ),
    () => 0,
  );
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (pending <= 0) return;
    const timer = setTimeout(() => {
      void client
        .invalidateQueries({ predicate: (q) => pendingOf(q) > 0 })
        .finally(() => setRound((r) => r + 1));
    }, RECHECK_MS);
    return () => clearTimeout(timer);
  }, [pending, client, round]);
  const { locale } = useFormats();
  if (pending <= 0) return null;
  return (
    <p className="callout" role="status" data-pending-events={pending}>
      {pending.toLocaleString(locale)} {pending === 1 ? "event is" : "events are"} still being counted: the
      numbers below will include {pending === 1 ? "it" : "them"} within seconds.
    </p>
  );
}

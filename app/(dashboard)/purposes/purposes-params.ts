import { viewParams, type View } from "@/app/_components/view";
import { someOf } from "@/lib/events/text";

export const BREAKDOWNS = [
  { id: "channel", label: "Channel" },
  { id: "region", label: "Region" },
  { id: "context", label: "Journey step" },
] as const;
export type BreakdownId = (typeof BREAKDOWNS)[number]["id"];

/**
 * The Purposes screen's queries, for the server prefetch and the client hooks alike. `breakdown` and `context`
 * are opt-in parameters of the metrics API, kept in the URL next to the view. A context that no consent event was
 * asked in (`contexts`, the catalog's journey steps) is dropped, as the view drops an unknown region, and
 * `contextProblem` says so: the API would answer it with a 400.
 */
export function purposesQueries(
  view: View,
  extra: { breakdown?: string; context?: string },
  contexts?: readonly string[],
) {
  const breakdown: BreakdownId = BREAKDOWNS.find((b) => b.id === extra.breakdown)?.id ?? "channel";
  const asked = extra.context || undefined;
  const context = asked !== undefined && contexts && !contexts.includes(asked) ? undefined : asked;
  const contextProblem =
    asked !== undefined && context === undefined
      ? `No consent event in this workspace was asked at the journey step “${asked}”${contexts?.length ? ` (there are ${someOf(contexts)})` : ""}: showing every journey step.`
      : undefined;
  return {
    breakdown,
    context,
    contextProblem,
    optIn: viewParams(view, { context }),
    optInBreakdown: viewParams(view, { context, breakdown }),
    withdrawals: viewParams(view),
    reciprocity: viewParams(view),
  };
}

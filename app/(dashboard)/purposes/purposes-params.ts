import { viewParams, type View } from "@/app/_components/view";

export const BREAKDOWNS = [
  { id: "channel", label: "Channel" },
  { id: "region", label: "Region" },
  { id: "context", label: "Journey step" },
] as const;
export type BreakdownId = (typeof BREAKDOWNS)[number]["id"];

/**
 * The Purposes screen's queries, for the server prefetch and the client hooks alike. `breakdown` and `context`
 * are opt-in parameters of the metrics API, kept in the URL next to the view.
 */
export function purposesQueries(view: View, extra: { breakdown?: string; context?: string }) {
  const breakdown: BreakdownId = BREAKDOWNS.find((b) => b.id === extra.breakdown)?.id ?? "channel";
  const context = extra.context || undefined;
  return {
    breakdown,
    context,
    optIn: viewParams(view, { context }),
    optInBreakdown: viewParams(view, { context, breakdown }),
    withdrawals: viewParams(view),
    reciprocity: viewParams(view),
  };
}

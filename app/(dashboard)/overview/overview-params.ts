import { periodParams, withFilters } from "@/app/_components/query-keys";
import { previousPeriod, trailingYear, viewParams, type View } from "@/app/_components/view";
import { MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import type { OverallKpi } from "@/lib/metrics/types";

/**
 * Every query of the Overview, built once for the server prefetch and the client hooks. The KPIs compare the
 * period with the one of equal length before it; the Trust Index shows the twelve months up to the period's end.
 * Overview is about the whole business, so a purpose filter carried over from another screen is dropped.
 */
export function overviewQueries(view: View) {
  const current: View = { ...view, purpose: undefined };
  const previous = previousPeriod(current);
  const filters = { region: current.region, channel: current.channel };
  const year = trailingYear(current);
  return {
    current: viewParams(current),
    /** One KPI tile's `overall` query: each tile fills as its own answer arrives. */
    kpi: (kpi: OverallKpi) => viewParams(current, { kpi }),
    previous: viewParams(previous),
    dormantNow: withFilters({ at: current.to }, filters),
    // The dashboard applies the "not enough data" rule; the API without min_sample is SPEC section 4 exactly.
    trustIndex: viewParams(year, { min_sample: String(MIN_SAMPLE) }),
    launches: periodParams(year),
    churnAfterWithdrawal: withFilters(periodParams(current), filters),
    previousView: previous,
  };
}

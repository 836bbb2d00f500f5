import { periodParams, withFilters } from "@/app/_components/query-keys";
import { viewParams, type View } from "@/app/_components/view";

/** The Churn screen's queries, for the server prefetch and the client hooks alike. */
export function churnQueries(view: View) {
  return {
    churn: viewParams(view),
    afterWithdrawal: withFilters(periodParams(view), view),
    controlEffect: withFilters(periodParams(view), view),
  };
}

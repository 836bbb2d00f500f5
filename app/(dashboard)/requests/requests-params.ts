import { withFilters } from "@/app/_components/query-keys";
import type { View } from "@/app/_components/view";

/** The Requests screen's query (not per purpose), for the server prefetch and the client hook alike. */
export const requestsParams = (view: View) =>
  withFilters({ from: view.from, to: view.to, granularity: view.granularity }, view);

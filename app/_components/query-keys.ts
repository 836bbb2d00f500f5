/**
 * Query keys are `[name, params]`, and params are exactly the query string sent: the server prefetch and the
 * client hooks build them the same way (`viewParams`, `periodParams`), so a prefetched answer is found by the hook.
 */
export type QueryParams = Record<string, string>;

/** Only the period: for answers that the filters do not change. */
export function periodParams(view: { from: string; to: string }): QueryParams {
  return { from: view.from, to: view.to };
}

/** The period and the view's region and channel: the Data inventory's holdings and first use. */
export const periodWithFilters = (view: { from: string; to: string; region?: string; channel?: string }) =>
  withFilters(periodParams(view), view);

export function searchOf(params: QueryParams): string {
  return new URLSearchParams(
    Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ).toString();
}

/** Adds the view's region and channel filters (the subject filters every metric takes). */
export function withFilters(
  params: QueryParams,
  filters: { region?: string; channel?: string },
): QueryParams {
  const out = { ...params };
  if (filters.region) out.region = filters.region;
  if (filters.channel) out.channel = filters.channel;
  return out;
}

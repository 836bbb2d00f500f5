import type { FirstUseResponse } from "./types";

/** Below this many first collections in a journey step, a share is noise, not a finding. */
export const MIN_COLLECTED = 5;
/** A step is worth a finding when at least this share of what it collected went unused for the field's dormancy window. */
export const MIN_UNUSED_SHARE = 0.4;

export interface AskWhenNeeded {
  field: string;
  context: string;
  collected: number;
  /** Collected there and not used within the field's dormancy window (used later, or never). */
  unused: number;
  share: number;
}

/**
 * The "ask when needed" finding of first use (SPEC 4): the field and journey step whose first
 * collections most often went unused for the field's dormancy window, if that is at least
 * MIN_UNUSED_SHARE of at least MIN_COLLECTED customers; the worst first, ties by more customers.
 */
export function askWhenNeeded(response: FirstUseResponse): AskWhenNeeded[] {
  return response.fields
    .flatMap((f) =>
      Object.entries(f.by_context).map(([context, c]) => ({
        field: f.field,
        context,
        collected: c.collected,
        unused: c.collected - c.used_within_window,
        share: (c.collected - c.used_within_window) / c.collected,
      })),
    )
    .filter((x) => x.collected >= MIN_COLLECTED && x.share >= MIN_UNUSED_SHARE)
    .sort((a, b) => b.share - a.share || b.collected - a.collected);
}

/**
 * How much data a number needs before the dashboard shows it (SPEC 6, /definitions "Not enough data"). One place
 * for the rule: the Trust Index applies it to its components and itself, and the screens to every rate they show.
 * The per-metric API answers keep SPEC's numbers with their counts next to them, so a caller can apply it too;
 * the Trust Index applies it when asked with `min_sample` (the dashboard sends MIN_SAMPLE).
 */
export const MIN_SAMPLE = 30;

/** The Trust Index needs this many components measured from events (transparency is configuration, not data). */
export const MIN_DATA_COMPONENTS = 2;

/** Whether a rate or score over `n` customers (or responses, or holdings) is enough to show. */
export function enoughData(n: number | null | undefined, min = MIN_SAMPLE): boolean {
  return typeof n === "number" && n >= min;
}

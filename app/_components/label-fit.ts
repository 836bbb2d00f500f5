/** How a chart's category label fits its slot; pure, so the rules are tested without a browser. */

/** The width of an average letter in ems when the font is not measured (DejaVu Sans and system sans fonts are wider). */
export const LETTER_EM = 0.62;

/**
 * The type size (9–12 px) at which a word of `letters` letters fits in `room` pixels: labels shrink, never break
 * mid-word. `letterEm` is the width of one of its letters in ems, measured in the browser where it can be.
 */
export const fittingFont = (room: number, letters: number, letterEm = LETTER_EM) =>
  Math.max(9, Math.min(12, room / (letters * letterEm)));

const longest = (text: string) => Math.max(...text.split(/\s+/).map((w) => w.length));

/**
 * A label whose longest word does not fit `room` even at the smallest type (an unnamed key such as
 * "partner-research" on a phone) breaks after its hyphens: "partner-" / "research" (a line break that the chart's
 * text wraps at). Labels that fit, or have no hyphen, are left as they are.
 */
export function breakable(
  label: string,
  room: number,
  letterEm = LETTER_EM,
): { text: string; longestWord: number } {
  const whole = longest(label);
  if (fittingFont(room, whole, letterEm) * whole * letterEm <= room || !label.includes("-"))
    return { text: label, longestWord: whole };
  const text = label.replace(/-(?=\S)/g, "-\n");
  return { text, longestWord: longest(text) };
}

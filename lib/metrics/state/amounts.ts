// Value amounts (numeric, any number of decimals) as sums of whole numbers, so that the tally's
// bigint `n` can carry them exactly: an amount is split into groups of six digits at the decimal
// point, group g worth 10^(−6g), each group in a row of its own (dim `g:currency`). Σ of a group
// over millions of rows stays below 2^53, so the sums also pass through JavaScript numbers exactly.

const GROUP = 6;
const UNIT = 10n ** BigInt(GROUP);

/** `g:currency`: the dim of an amount's group g in `currency` ('' for none). */
export const amountDim = (group: number, currency: string): string => `${group}:${currency}`;
/**
 * `n:currency`: the number of deliveries in `currency`, so that a currency whose amounts are all 0
 * or absent is still listed (`value_other: {"USD": 0}`), as the sum over the events lists it.
 */
export const deliveriesDim = (currency: string): string => `n:${currency}`;

/** The non-zero six-digit groups of a decimal amount as PostgreSQL prints a numeric (`-12.5`, `0.000001`). */
export function amountGroups(text: string): { group: number; n: number }[] {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal amount: '${text}'`);
  const [, sign, whole = "", fraction = ""] = match;
  const out: { group: number; n: number }[] = [];
  // Whole digits from the point leftwards: group 0 holds units to 10^5, group −1 10^6 to 10^11, …
  for (let end = whole.length, g = 0; end > 0; end -= GROUP, g--) {
    const n = Number(whole.slice(Math.max(0, end - GROUP), end));
    if (n) out.push({ group: g, n: sign ? -n : n });
  }
  for (let start = 0, g = 1; start < fraction.length; start += GROUP, g++) {
    const n = Number(fraction.slice(start, start + GROUP).padEnd(GROUP, "0"));
    if (n) out.push({ group: g, n: sign ? -n : n });
  }
  return out;
}

/** Parses an amount dim back into its currency and group (null: the deliveries' count). */
export function parseAmountDim(dim: string): { group: number | null; currency: string } {
  const colon = dim.indexOf(":");
  const head = dim.slice(0, colon);
  return { group: head === "n" ? null : Number(head), currency: dim.slice(colon + 1) };
}

/**
 * The amount that summed groups stand for, exactly, then as the nearest number: what Number() of
 * PostgreSQL's exact sum of the same amounts gives.
 */
export function amountFromGroups(groups: ReadonlyMap<number, number>): number {
  const last = Math.max(0, ...groups.keys());
  let scaled = 0n;
  for (const [g, n] of groups) scaled += BigInt(n) * UNIT ** BigInt(last - g);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(last * GROUP + 1, "0");
  const point = digits.length - last * GROUP;
  return Number(`${negative ? "-" : ""}${digits.slice(0, point)}.${digits.slice(point) || "0"}`);
}

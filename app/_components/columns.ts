import type { Column } from "./data-table";
import { formatCount, formatRate, type Formats } from "./format";

type NumberKey<R> = { [K in keyof R]: R[K] extends number | null ? K : never }[keyof R] & string;

/** A column of counts: sorted and exported as the number, shown with the reader's separators. */
export function countColumn<R>(f: Formats, key: NumberKey<R>, label: string): Column<R> {
  return {
    key,
    label,
    numeric: true,
    value: (r) => r[key] as number | null,
    format: (r) => formatCount(f, r[key] as number),
  };
}

/** A column of rates (fractions): shown and exported as the percentage the screen shows. */
export function rateColumn<R>(f: Formats, key: NumberKey<R>, label: string): Column<R> {
  return {
    key,
    label,
    numeric: true,
    unit: "rate",
    value: (r) => r[key] as number | null,
    format: (r) => formatRate(f, r[key] as number | null),
  };
}

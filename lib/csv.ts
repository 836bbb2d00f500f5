/**
 * CSV (RFC 4180) for every export, written by csv-stringify: the dashboard's table and chart
 * exports (in the browser), the audit log and the campaign hand-off. The browser build runs on
 * the server too, so one module serves both.
 *
 * Every text cell that starts with = + - @ (or their fullwidth forms, a tab or a carriage return)
 * is prefixed with `'`, so that a spreadsheet shows it instead of running it as a formula (OWASP
 * "CSV injection"); numbers, negative ones included, are left alone. Subjects, sources, channels and
 * campaign messages are sender-chosen text. A number written as text the way a screen rounds it
 * (`-0.7`, `-1.5%`) is a number to a spreadsheet, not a formula, so it is left alone too. A system that
 * needs the exact bytes reads the JSON form where one is offered (the hand-off's `?format=json`).
 */
import { stringify } from "csv-stringify/browser/esm/sync";

/** A signed decimal, optionally a percentage: what `csvCell` writes for rates, points and money. */
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?%?$/;

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** Line ending: `\r\n` (RFC 4180, the default) or `\n`. */
  lineEnding?: "\r\n" | "\n";
}

/** The header row and the rows as CSV, each line ended. Cells with leading or trailing spaces are quoted, so they survive. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  options: CsvOptions = {},
): string {
  return stringify([header, ...rows] as CsvCell[][], {
    record_delimiter: options.lineEnding === "\n" ? "unix" : "windows",
    escape_formulas: true,
    // Any line break, not only the record delimiter, and leading or trailing spaces.
    quoted_match: /[\r\n]|^\s|\s$/,
    cast: {
      boolean: (v: boolean) => String(v),
      string: (v: string) => (NUMBER_TEXT.test(v) ? { value: v, escape_formulas: false } : v),
    },
  });
}

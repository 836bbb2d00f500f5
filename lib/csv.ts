/**
 * CSV (RFC 4180) for every export, written by csv-stringify: the dashboard's table and chart
 * exports (in the browser), the audit log and the campaign hand-off. The browser build runs on
 * the server too, so one module serves both.
 */
import { stringify } from "csv-stringify/browser/esm/sync";

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** Prefix a cell starting with = + - @ (or a tab or carriage return) with `'`, so a spreadsheet does not run it as a formula. */
  escapeFormulas?: boolean;
  /** Line ending: `\r\n` (RFC 4180, the default) or `\n`. */
  lineEnding?: "\r\n" | "\n";
}

/** The header row and the rows as CSV, each line ended. Cells with leading or trailing spaces are quoted, so they survive. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  return stringify([header, ...rows] as CsvCell[][], {
    record_delimiter: options.lineEnding === "\n" ? "unix" : "windows",
    escape_formulas: options.escapeFormulas ?? false,
    // Any line break, not only the record delimiter, and leading or trailing spaces.
    quoted_match: /[\r\n]|^\s|\s$/,
    cast: { boolean: (v: boolean) => String(v) },
  });
}

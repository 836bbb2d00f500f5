"use client";

import { useContext, type ReactNode } from "react";
import { toCsv, type CsvCell } from "@/lib/csv";
import { downloadCsv } from "./csv";
import { csvFilename, CsvSourceContext, withSource, type CsvSource } from "./csv-source";

export interface Column<R> {
  key: string;
  label: string;
  /** The raw value (sorting, the CSV); the CSV writes it as `unit` says. */
  value: (row: R) => CsvCell;
  /** How the CSV writes a number: a rate as the percentage the screen shows ("32.1%"), points with one decimal, money with two. */
  unit?: "rate" | "points" | "money";
  /** What the cell shows; defaults to the raw value. */
  format?: (row: R) => ReactNode;
  numeric?: boolean;
}

export interface TableData<R> {
  columns: Column<R>[];
  rows: R[];
  /** File name of the CSV export, without extension (the view's filters are appended to it). */
  filename: string;
  /** The metric answers the rows come from, when not the nearest DataView's (a table made from several). */
  source?: CsvSource;
}

const CSV_PERCENT = new Intl.NumberFormat("en-US", {
  style: "percent",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/**
 * A cell as the CSV holds it: locale-free (a dot for decimals, no thousands separator) and rounded as the screen
 * rounds, so a spreadsheet shows what the dashboard shows; other fractions to at most four decimals, never 16 digits.
 */
export function csvCell(value: CsvCell, unit: Column<unknown>["unit"]): CsvCell {
  if (typeof value !== "number" || !Number.isFinite(value)) return value;
  switch (unit) {
    case "rate":
      return CSV_PERCENT.format(value);
    case "points":
      return value.toFixed(1);
    case "money":
      return value.toFixed(2);
    default:
      return Number.isInteger(value) ? value : Number(value.toFixed(4));
  }
}

/**
 * The table's CSV: its columns as the screen rounds them, then, for a metric table, what it counts — `as_of`,
 * `pending_events` and the API `query` that gives the same answers — on every row (see csv-source.ts).
 */
export function tableCsv<R>({ columns, rows }: TableData<R>, source: CsvSource | undefined): string {
  const out = withSource(
    columns.map((c) => c.key),
    rows.map((r) => columns.map((c) => csvCell(c.value(r), c.unit))),
    source,
  );
  return toCsv(out.header, out.rows);
}

export function exportCsv<R>(table: TableData<R>, source: CsvSource | undefined = table.source): void {
  downloadCsv(csvFilename(table.filename, source), tableCsv(table, source));
}

export function CsvButton<R>({ table, label = "Export CSV" }: { table: TableData<R>; label?: string }) {
  const nearest = useContext(CsvSourceContext);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => exportCsv(table, table.source ?? nearest)}
      disabled={table.rows.length === 0}
      data-csv={table.filename}
    >
      {label}
    </button>
  );
}

export function DataTable<R>({
  table,
  caption,
  rowKey,
  testId,
}: {
  table: TableData<R>;
  caption?: string;
  rowKey: (row: R, i: number) => string;
  testId?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="data" data-table={testId ?? table.filename}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? "n" : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={rowKey(row, i)} data-row={rowKey(row, i)}>
              {table.columns.map((c, j) => {
                const content = c.format ? c.format(row) : String(c.value(row) ?? "");
                return j === 0 ? (
                  <th key={c.key} scope="row" className={c.numeric ? "n" : undefined} data-col={c.key}>
                    {content}
                  </th>
                ) : (
                  <td key={c.key} className={c.numeric ? "n" : undefined} data-col={c.key}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The table behind a chart, folded under it: for screen readers, copying, and the CSV. */
export function ChartData<R>({
  table,
  rowKey,
  summary = "Show data table",
}: {
  table: TableData<R>;
  rowKey: (row: R, i: number) => string;
  summary?: string;
}) {
  return (
    <details className="data-details">
      <summary>{summary}</summary>
      <DataTable table={table} rowKey={rowKey} />
    </details>
  );
}

/** Under a chart: its CSV export and its data as a folded table. */
export function ChartFooter<R>({
  table,
  rowKey,
}: {
  table: TableData<R>;
  rowKey: (row: R, i: number) => string;
}) {
  return (
    <>
      <div className="card-actions" style={{ marginTop: 6 }}>
        <CsvButton table={table} />
      </div>
      <ChartData table={table} rowKey={rowKey} />
    </>
  );
}

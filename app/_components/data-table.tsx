"use client";

import type { ReactNode } from "react";
import { toCsv, type CsvCell } from "@/lib/csv";
import { downloadCsv } from "./csv";

export interface Column<R> {
  key: string;
  label: string;
  /** The raw value: what the CSV holds (rates unrounded, as the API returns them). */
  value: (row: R) => CsvCell;
  /** What the cell shows; defaults to the raw value. */
  format?: (row: R) => ReactNode;
  numeric?: boolean;
}

export interface TableData<R> {
  columns: Column<R>[];
  rows: R[];
  /** File name of the CSV export, without extension. */
  filename: string;
}

export function exportCsv<R>({ columns, rows, filename }: TableData<R>): void {
  downloadCsv(
    filename,
    toCsv(
      columns.map((c) => c.key),
      rows.map((r) => columns.map((c) => c.value(r))),
    ),
  );
}

export function CsvButton<R>({ table, label = "Export CSV" }: { table: TableData<R>; label?: string }) {
  return (
    <button type="button" className="btn btn-small" onClick={() => exportCsv(table)} disabled={table.rows.length === 0} data-csv={table.filename}>
      {label}
    </button>
  );
}

export function DataTable<R>({ table, caption, rowKey, testId }: { table: TableData<R>; caption?: string; rowKey: (row: R, i: number) => string; testId?: string }) {
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
export function ChartData<R>({ table, rowKey, summary = "Show data table" }: { table: TableData<R>; rowKey: (row: R, i: number) => string; summary?: string }) {
  return (
    <details className="data-details">
      <summary>{summary}</summary>
      <DataTable table={table} rowKey={rowKey} />
    </details>
  );
}

/** Under a chart: its CSV export and its data as a folded table. */
export function ChartFooter<R>({ table, rowKey }: { table: TableData<R>; rowKey: (row: R, i: number) => string }) {
  return (
    <>
      <div className="card-actions" style={{ marginTop: 6 }}>
        <CsvButton table={table} />
      </div>
      <ChartData table={table} rowKey={rowKey} />
    </>
  );
}

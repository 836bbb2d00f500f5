"use client";

import { createContext } from "react";
import type { CsvCell } from "@/lib/csv";
import type { Freshness } from "@/lib/metrics/types";
import { searchOf, type QueryParams } from "./query-keys";

/**
 * What a metric table's CSV counts: the answers it was made from. The file says it in columns of every row
 * (`as_of`, `pending_events`, `query`) and in its name (the filters), never in comment lines, which CSV
 * parsers and spreadsheet imports read as data rows.
 */
export interface CsvSource {
  /** Every event committed before this instant is counted (the earliest of the answers). */
  as_of: string;
  /** Events committed but not yet counted when the answers were read (the most of them). */
  pending_events: number;
  /** The API calls that give the same answers, `/api/v1/metrics/<name>?<params>`, one per answer. */
  queries: string[];
  /** The view's filters, for the file name. */
  params: QueryParams;
}

/** One metric answer behind a table: its query key and the reading. */
export type SourceReading = [name: string, params: QueryParams, reading: unknown];

const isFreshness = (v: unknown): v is Freshness =>
  typeof (v as Freshness | null)?.as_of === "string" &&
  typeof (v as Freshness | null)?.pending_events === "number";

/** The source of a table made from these answers; undefined when none of them is a metric reading. */
export function csvSource(readings: SourceReading[]): CsvSource | undefined {
  const metrics = readings.filter((r): r is [string, QueryParams, Freshness] => isFreshness(r[2]));
  if (!metrics.length) return undefined;
  const [first] = metrics.map((r) => r[2].as_of).sort((a, b) => Date.parse(a) - Date.parse(b));
  return {
    as_of: first!,
    pending_events: Math.max(...metrics.map((r) => r[2].pending_events)),
    queries: [...new Set(metrics.map(([name, params]) => `/api/v1/metrics/${name}?${searchOf(params)}`))],
    params: Object.assign({}, ...metrics.map((r) => r[1])) as QueryParams,
  };
}

/** The nearest metric answer above a table (DataView provides it); a table's own `source` wins. */
export const CsvSourceContext = createContext<CsvSource | undefined>(undefined);

/** The columns added after the table's own, in this order (a table's own column of the same key is kept instead). */
export const SOURCE_COLUMNS = ["as_of", "pending_events", "query"] as const;

/** The header and rows with the source's columns appended to every row. */
export function withSource(
  header: string[],
  rows: CsvCell[][],
  source: CsvSource | undefined,
): { header: string[]; rows: CsvCell[][] } {
  if (!source) return { header, rows };
  const values: Record<(typeof SOURCE_COLUMNS)[number], CsvCell> = {
    as_of: source.as_of,
    pending_events: source.pending_events,
    query: source.queries.join(" "),
  };
  const added = SOURCE_COLUMNS.filter((k) => !header.includes(k));
  return {
    header: [...header, ...added],
    rows: rows.map((r) => [...r, ...added.map((k) => values[k])]),
  };
}

/** Filters of the view that go into the file name, so that two exports of different filters differ. */
const NAMED_FILTERS = ["purpose", "region", "channel", "context"] as const;

/** The file name with the view's filters appended (`opt-in-by-purpose_…_region-DE_channel-web`). */
export function csvFilename(filename: string, source: CsvSource | undefined): string {
  if (!source) return filename;
  const parts = NAMED_FILTERS.filter((k) => source.params[k]).map(
    (k) => `${k}-${source.params[k]!.replace(/[^A-Za-z0-9._-]+/g, "_")}`,
  );
  return [filename, ...parts].join("_");
}

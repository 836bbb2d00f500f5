import fs from "node:fs";
import readline from "node:readline";
import { parse as parseCsv } from "csv-parse";
import type { Db } from "@/db/client";
import { UnparseableRecord } from "@/lib/events/contract";
import { ingestEvents, type Rejection } from "@/lib/ingest";
import { csvRecordToEvent } from "@/lib/ingest/csv";
import { UsageError } from "./context";
import { SIGNAL_FORMATS } from "./import-signals";

const CHUNK = 5000;
/** The summary lists at most this many rejections; `rejected_count` always has the total. */
const MAX_LISTED_REJECTIONS = 1000;

export interface ImportSummary {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  rejected_count: number;
}

export async function* ndjsonRecords(file: string): AsyncGenerator<unknown> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    const trimmed = line.trim();
    if (!trimmed) continue;
    try {
      yield JSON.parse(trimmed);
    } catch {
      yield new UnparseableRecord(`line ${n}: not valid JSON`);
    }
  }
}

async function* csvRecords(file: string): AsyncGenerator<unknown> {
  const parser = fs.createReadStream(file).pipe(parseCsv({ columns: true, skip_empty_lines: true, trim: true, bom: true }));
  for await (const record of parser) yield csvRecordToEvent(record as Record<string, string>);
}

/** Streams a file of events into the workspace in chunks, so memory stays bounded for any file size. */
export async function importFile(db: Db, workspaceId: number, file: string, format?: string, progress?: (line: string) => void): Promise<ImportSummary> {
  if (!fs.existsSync(file)) throw new UsageError(`file not found: ${file}`);
  const fmt = format ?? (file.toLowerCase().endsWith(".csv") ? "csv" : "ndjson");
  if (fmt !== "csv" && fmt !== "ndjson") throw new UsageError(`--format: expected ndjson, csv or a signal format (${SIGNAL_FORMATS.join(", ")}), got '${fmt}'`);
  const source = fmt === "csv" ? csvRecords(file) : ndjsonRecords(file);
  const summary: ImportSummary = { accepted: 0, duplicates: 0, rejected: [], rejected_count: 0 };
  const started = Date.now();
  let chunk: unknown[] = [];
  let offset = 0;
  const flush = async () => {
    const result = await ingestEvents(db, workspaceId, chunk, "import", offset);
    offset += chunk.length;
    chunk = [];
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    summary.rejected_count += result.rejected.length;
    for (const r of result.rejected) if (summary.rejected.length < MAX_LISTED_REJECTIONS) summary.rejected.push(r);
    const secs = (Date.now() - started) / 1000;
    progress?.(`${offset} events read: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected_count} rejected (${Math.round(offset / Math.max(secs, 0.001))}/s)`);
  };
  for await (const record of source) {
    chunk.push(record);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length) await flush();
  return summary;
}

import readline from "node:readline";
import { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse";
import type { Db } from "@/db/client";
import { AppError, badRequest } from "@/lib/errors";
import { UnparseableRecord } from "@/lib/events/contract";
import { csvRecordToEvent } from "./csv";
import { ingestEvents, MAX_BATCH_EVENTS, type IngestVia, type Rejection } from "./index";

/**
 * Files of events (`tl import`, the Events screen's upload) are read as a stream and stored in
 * API-sized batches, so a 50 MiB file neither fills memory nor holds the event loop: parsing one
 * chunk of the file at a time leaves room for every other request in between.
 *
 * One event serialized is a few KB (properties at most 4 KB); a line or CSV record over this is
 * not an event and is rejected unread.
 */
export const MAX_RECORD_BYTES = 64 * 1024;
const SLICE_BYTES = 16 * 1024;

/**
 * The input again, in slices of at most 16 KB with a turn of the event loop between them: a source
 * that hands over a whole file as one chunk (an in-memory upload) is parsed a slice at a time too.
 */
function paced(input: Readable): Readable {
  return Readable.from(
    (async function* () {
      for await (const chunk of input) {
        const bytes: Buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        for (let i = 0; i < bytes.length; i += SLICE_BYTES) {
          yield bytes.subarray(i, i + SLICE_BYTES);
          await new Promise((r) => setImmediate(r));
        }
      }
    })(),
    { objectMode: false },
  );
}

/** One JSON value per line; a line that is not JSON, or too long to be an event, becomes an UnparseableRecord. */
export async function* ndjsonRecords(input: Readable): AsyncGenerator<unknown> {
  const lines = readline.createInterface({ input: paced(input).setEncoding("utf8"), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed.length > MAX_RECORD_BYTES) {
      yield new UnparseableRecord(`line ${n}: over ${MAX_RECORD_BYTES / 1024} KB, too long to be one event`);
      continue;
    }
    try {
      yield JSON.parse(trimmed);
    } catch {
      yield new UnparseableRecord(`line ${n}: not valid JSON; NDJSON needs one JSON object per line`);
    }
  }
}

/** CSV with SPEC section 3's column names, one event a record. A file that is not CSV stops with a 400 that says where. */
export async function* csvRecords(input: Readable): AsyncGenerator<unknown> {
  const parser = paced(input).pipe(
    parseCsv({
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  try {
    for await (const record of parser) yield csvRecordToEvent(record as Record<string, string>);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw badRequest(
      `CSV: ${e instanceof Error ? e.message : "could not be parsed"}; the first line must name the columns (id, type, subject, occurred_at, …)`,
    );
  }
}

export interface RecordsSummary {
  /** Records read. */
  events: number;
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  rejected_count: number;
}

export interface RecordsOptions {
  /** The summary lists at most this many rejections; `rejected_count` has them all. */
  maxListed: number;
  progress?: (summary: RecordsSummary, secs: number) => void;
}

/** Stores a stream of event records in batches of MAX_BATCH_EVENTS; each batch commits on its own. */
export async function ingestRecords(
  db: Db,
  workspaceId: number,
  records: AsyncIterable<unknown>,
  via: IngestVia,
  options: RecordsOptions,
): Promise<RecordsSummary> {
  const summary: RecordsSummary = { events: 0, accepted: 0, duplicates: 0, rejected: [], rejected_count: 0 };
  const started = Date.now();
  let chunk: unknown[] = [];
  const flush = async () => {
    const result = await ingestEvents(db, workspaceId, chunk, via, summary.events);
    summary.events += chunk.length;
    chunk = [];
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    summary.rejected_count += result.rejected.length;
    for (const r of result.rejected)
      if (summary.rejected.length < options.maxListed) summary.rejected.push(r);
    options.progress?.(summary, (Date.now() - started) / 1000);
  };
  try {
    for await (const record of records) {
      chunk.push(record);
      if (chunk.length >= MAX_BATCH_EVENTS) await flush();
    }
  } catch (e) {
    if (!(e instanceof AppError && e.code === "bad_request")) throw e;
    // What came before the bad spot is stored, as it would have been had the file ended there: say so.
    if (chunk.length) await flush();
    throw summary.events > 0
      ? badRequest(
          `${e.message} (the ${summary.events} records before it were read: ${summary.accepted} stored, ${summary.rejected_count} rejected)`,
        )
      : e;
  }
  if (chunk.length) await flush();
  return summary;
}

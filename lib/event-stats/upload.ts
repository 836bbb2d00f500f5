import { parse as parseCsv } from "csv-parse/sync";
import type { Db } from "@/db/client";
import { badRequest } from "@/lib/errors";
import { UnparseableRecord } from "@/lib/events/contract";
import { scheduleCatchUp } from "@/lib/metrics/state/apply";
import { ingestEvents, MAX_BATCH_EVENTS, type Rejection } from "@/lib/ingest";
import { csvRecordToEvent } from "@/lib/ingest/csv";

/** An uploaded file may hold more than one API request's worth; it is stored in API-sized batches. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_LISTED_REJECTIONS = 200;

export interface UploadSummary {
  format: "csv" | "ndjson";
  events: number;
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  rejected_count: number;
}

export interface UploadedFile {
  name: string;
  type: string;
  text: string;
}

export function uploadFormat(file: Pick<UploadedFile, "name" | "type">): "csv" | "ndjson" {
  return file.name.toLowerCase().endsWith(".csv") || file.type === "text/csv" ? "csv" : "ndjson";
}

function ndjsonRecords(text: string): unknown[] {
  const records: unknown[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    try {
      records.push(JSON.parse(line));
    } catch {
      records.push(new UnparseableRecord(`line ${i + 1}: not valid JSON; NDJSON needs one JSON object per line`));
    }
  });
  return records;
}

function csvRecords(text: string): unknown[] {
  try {
    const records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
    return records.map(csvRecordToEvent);
  } catch (e) {
    throw badRequest(`CSV: ${e instanceof Error ? e.message : "could not be parsed"}; the first line must name the columns (id, type, subject, occurred_at, …)`);
  }
}

/** Ingests an NDJSON or CSV file uploaded in the UI, with the same contract and summary as `tl import`. */
export async function ingestUpload(db: Db, workspaceId: number, file: UploadedFile): Promise<UploadSummary> {
  const format = uploadFormat(file);
  const records = format === "csv" ? csvRecords(file.text) : ndjsonRecords(file.text);
  if (records.length === 0) throw badRequest(`${file.name || "the file"} holds no events: send one event per line (NDJSON) or a CSV with a header row`);
  const summary: UploadSummary = { format, events: records.length, accepted: 0, duplicates: 0, rejected: [], rejected_count: 0 };
  for (let offset = 0; offset < records.length; offset += MAX_BATCH_EVENTS) {
    const result = await ingestEvents(db, workspaceId, records.slice(offset, offset + MAX_BATCH_EVENTS), "upload", offset);
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    summary.rejected_count += result.rejected.length;
    for (const r of result.rejected) if (summary.rejected.length < MAX_LISTED_REJECTIONS) summary.rejected.push(r);
  }
  if (summary.accepted) scheduleCatchUp(db, workspaceId, summary.accepted);
  return summary;
}

import fs from "node:fs";
import type { Db } from "@/db/client";
import { ndjsonRecords } from "@/lib/ingest/records";
import { ingestSignals, type SignalRejection } from "@/lib/signals/ingest";
import { SIGNAL_SOURCES, type SignalSource } from "@/lib/signals/signal";
import { UsageError } from "./context";

const CHUNK = 2000;
/** The summary lists at most this many rejections and event ids; `rejected_count` has the total. */
const MAX_LISTED = 1000;
export const SIGNAL_FORMATS = [...SIGNAL_SOURCES, "signals"] as const;

export function isSignalFormat(format: unknown): boolean {
  return (SIGNAL_FORMATS as readonly unknown[]).includes(format);
}

export interface SignalImportSummary {
  accepted: number;
  duplicates: number;
  unchanged: number;
  rejected: SignalRejection[];
  rejected_count: number;
  events: string[];
}

/**
 * Streams a file of signals, one JSON object a line, in chunks: each chunk sees the consent the earlier ones
 * stored. `--format signals` means each line has its own `kind`; any other format is the kind of every line.
 */
export async function importSignalsFile(
  db: Db,
  workspaceId: number,
  file: string,
  format?: string,
  progress?: (line: string) => void,
): Promise<SignalImportSummary> {
  if (!fs.existsSync(file)) throw new UsageError(`file not found: ${file}`);
  if (!isSignalFormat(format))
    throw new UsageError(`--format: expected one of ${SIGNAL_FORMATS.join(", ")}, got '${format}'`);
  const kind = format === "signals" ? undefined : (format as SignalSource);
  const summary: SignalImportSummary = {
    accepted: 0,
    duplicates: 0,
    unchanged: 0,
    rejected: [],
    rejected_count: 0,
    events: [],
  };
  let chunk: unknown[] = [];
  let offset = 0;
  const flush = async () => {
    const result = await ingestSignals(db, workspaceId, chunk, { kind, indexOffset: offset });
    offset += chunk.length;
    chunk = [];
    summary.accepted += result.accepted;
    summary.duplicates += result.duplicates;
    summary.unchanged += result.unchanged;
    summary.rejected_count += result.rejected.length;
    summary.rejected.push(...result.rejected.slice(0, MAX_LISTED - summary.rejected.length));
    summary.events.push(...result.events.slice(0, MAX_LISTED - summary.events.length));
    progress?.(
      `${offset} signals read: ${summary.accepted} events stored, ${summary.unchanged} unchanged, ${summary.rejected_count} rejected`,
    );
  };
  for await (const record of ndjsonRecords(fs.createReadStream(file))) {
    chunk.push(record);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length) await flush();
  return summary;
}

import fs from "node:fs";
import type { Db } from "@/db/client";
import { ndjsonRecords } from "@/lib/ingest/records";
import { ingestSignalStream, type SignalStreamSummary } from "@/lib/ingest/entry";
import { SIGNAL_SOURCES, type SignalSource } from "@/lib/signals/signal";
import { rollupsNow, UsageError } from "./context";

/** The summary lists at most this many rejections and event ids; `rejected_count` has the total. */
const MAX_LISTED = 1000;
export const SIGNAL_FORMATS = [...SIGNAL_SOURCES, "signals"] as const;

export function isSignalFormat(format: unknown): boolean {
  return (SIGNAL_FORMATS as readonly unknown[]).includes(format);
}

/** The file and format of a signal import, checked without the database. */
export function checkSignalsFile(file: string, format?: string): void {
  if (!fs.existsSync(file)) throw new UsageError(`file not found: ${file}`);
  if (!isSignalFormat(format))
    throw new UsageError(`--format: expected one of ${SIGNAL_FORMATS.join(", ")}, got '${format}'`);
}

export type SignalImportSummary = SignalStreamSummary;

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
  checkSignalsFile(file, format);
  const kind = format === "signals" ? undefined : (format as SignalSource);
  return ingestSignalStream(
    db,
    workspaceId,
    ndjsonRecords(fs.createReadStream(file)),
    {
      kind,
      maxListed: MAX_LISTED,
      progress: (read, s) =>
        progress?.(
          `${read} signals read: ${s.accepted} events stored, ${s.unchanged} unchanged, ${s.rejected_count} rejected`,
        ),
    },
    rollupsNow(progress),
  );
}

import fs from "node:fs";
import type { Db } from "@/db/client";
import { ingestStream } from "@/lib/ingest/entry";
import { csvRecords, ndjsonRecords, type RecordsSummary } from "@/lib/ingest/records";
import { rollupsNow, UsageError } from "./context";
import { SIGNAL_FORMATS } from "./import-signals";

/** The summary lists at most this many rejections; `rejected_count` always has the total. */
const MAX_LISTED_REJECTIONS = 1000;

export type ImportSummary = Omit<RecordsSummary, "events">;

/** The file and format of an event import, checked without the database: the format it will be read in. */
export function checkImportFile(file: string, format?: string): "csv" | "ndjson" {
  if (!fs.existsSync(file)) throw new UsageError(`file not found: ${file}`);
  const fmt = format ?? (file.toLowerCase().endsWith(".csv") ? "csv" : "ndjson");
  if (fmt !== "csv" && fmt !== "ndjson")
    throw new UsageError(
      `--format: expected ndjson, csv or a signal format (${SIGNAL_FORMATS.join(", ")}), got '${fmt}'`,
    );
  return fmt;
}

/**
 * Streams a file of events into the workspace in chunks, so memory stays bounded for any file size; the metric
 * rollups take the imported events in large chunks before it returns, not at the first read.
 */
export async function importFile(
  db: Db,
  workspaceId: number,
  file: string,
  format?: string,
  progress?: (line: string) => void,
): Promise<ImportSummary> {
  const fmt = checkImportFile(file, format);
  const source =
    fmt === "csv" ? csvRecords(fs.createReadStream(file)) : ndjsonRecords(fs.createReadStream(file));
  const { events: _events, ...summary } = await ingestStream(
    db,
    workspaceId,
    source,
    "import",
    {
      maxListed: MAX_LISTED_REJECTIONS,
      progress: (s, secs) =>
        progress?.(
          `${s.events} events read: ${s.accepted} accepted, ${s.duplicates} duplicates, ${s.rejected_count} rejected (${Math.round(s.events / Math.max(secs, 0.001))}/s)`,
        ),
    },
    rollupsNow(progress),
  );
  return summary;
}

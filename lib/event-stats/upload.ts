import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { Db } from "@/db/client";
import { AppError, badRequest } from "@/lib/errors";
import { ingestStream, type RollupCatchUp } from "@/lib/ingest/entry";
import { csvRecords, ndjsonRecords, type RecordsSummary } from "@/lib/ingest/records";

/** An uploaded file may hold more than one API request's worth; it is stored in API-sized batches. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_LISTED_REJECTIONS = 200;

export interface UploadSummary extends RecordsSummary {
  format: "csv" | "ndjson";
}

export interface UploadedFile {
  name: string;
  type: string;
  /** The file's bytes, read as they are parsed (lib/ingest/records.ts). */
  body: Readable;
}

export function uploadFormat(file: Pick<UploadedFile, "name" | "type">): "csv" | "ndjson" {
  return file.name.toLowerCase().endsWith(".csv") || file.type === "text/csv" ? "csv" : "ndjson";
}

const NO_FILE = "file: expected an NDJSON or CSV file in the multipart form field 'file'";
export const uploadTooLarge = () =>
  new AppError(
    "payload_too_large",
    `the file is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB: split it, or use tl import`,
  );

/**
 * The file of a multipart upload, as a stream read while the request arrives (busboy): the form is
 * never parsed or held whole. A file over MAX_UPLOAD_BYTES ends its stream with a 413.
 */
export function readUpload(req: Request): Promise<UploadedFile> {
  let form: busboy.Busboy;
  try {
    form = busboy({
      headers: { "content-type": req.headers.get("content-type") ?? "" },
      limits: { files: 1, fileSize: MAX_UPLOAD_BYTES },
    });
  } catch {
    return Promise.reject(badRequest(`expected a multipart form: ${NO_FILE}`));
  }
  return new Promise<UploadedFile>((resolve, reject) => {
    form.on("file", (field, stream, info) => {
      if (field !== "file") {
        stream.resume();
        return;
      }
      stream.on("limit", () => stream.destroy(uploadTooLarge()));
      resolve({ name: info.filename ?? "", type: info.mimeType, body: stream });
    });
    form.on("error", () => reject(badRequest(`the multipart form could not be read: ${NO_FILE}`)));
    form.on("close", () => reject(badRequest(NO_FILE)));
    if (!req.body) return reject(badRequest(NO_FILE));
    Readable.fromWeb(req.body as WebReadableStream<Uint8Array>).pipe(form);
  });
}

/** Ingests an NDJSON or CSV file uploaded in the UI, with the same contract and summary as `tl import`. */
export async function ingestUpload(
  db: Db,
  workspaceId: number,
  file: UploadedFile,
  rollups: RollupCatchUp,
): Promise<UploadSummary> {
  const format = uploadFormat(file);
  const records = format === "csv" ? csvRecords(file.body) : ndjsonRecords(file.body);
  const summary = await ingestStream(
    db,
    workspaceId,
    records,
    "upload",
    { maxListed: MAX_LISTED_REJECTIONS },
    rollups,
  );
  if (summary.events === 0)
    throw badRequest(
      `${file.name || "the file"} holds no events: send one event per line (NDJSON) or a CSV with a header row`,
    );
  return { format, ...summary };
}

import { AppError, badRequest } from "@/lib/errors";
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from "./index";

const tooLarge = (what: string, list = "events") =>
  new AppError(
    "payload_too_large",
    `${what}; nothing was stored. Split the batch (at most ${MAX_BATCH_EVENTS} ${list} and 5 MiB a request).`,
  );

/** Reads the raw body with the byte limit enforced while streaming, so a huge body is not buffered. */
export async function readLimitedBody(req: Request): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BATCH_BYTES) throw tooLarge(`body of ${declared} bytes is over 5 MiB`);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BATCH_BYTES) {
      await reader.cancel();
      throw tooLarge("body is over 5 MiB");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses `{"events": [...]}` (JSON) or one event per line (NDJSON) into raw event values. */
export function parseEventsBody(body: string, contentType: string | null): unknown[] {
  return parseBatchBody(body, contentType, "events");
}

/**
 * Parses `{"<list>": [...]}` (JSON) or one item per line (NDJSON) into raw values. With `single`, a JSON object
 * without the list is taken as a batch of one.
 */
export function parseBatchBody(
  body: string,
  contentType: string | null,
  list: string,
  single = false,
): unknown[] {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  let items: unknown[];
  if (type === "application/x-ndjson" || type === "application/ndjson") {
    items = [];
    const lines = body.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]?.trim();
      if (!line) continue;
      try {
        items.push(JSON.parse(line));
      } catch {
        throw badRequest(`line ${i + 1}: not valid JSON; NDJSON needs one JSON object per line`);
      }
    }
  } else if (type === "application/json" || type === "") {
    const expected = `{"${list}": [...]}${single ? " or one object" : ""}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw badRequest(
        `body is not valid JSON; send ${expected} or NDJSON with Content-Type: application/x-ndjson`,
      );
    }
    const isObject = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
    const given = isObject ? (parsed as Record<string, unknown>)[list] : undefined;
    if (Array.isArray(given)) items = given;
    else if (single && isObject && given === undefined) items = [parsed];
    else throw badRequest(`body: expected a JSON object ${expected}`);
  } else {
    throw new AppError(
      "unsupported_media_type",
      `Content-Type '${type}' is not supported: use application/json or application/x-ndjson`,
    );
  }
  if (items.length > MAX_BATCH_EVENTS)
    throw tooLarge(`${items.length} ${list} is over the limit of ${MAX_BATCH_EVENTS}`, list);
  return items;
}

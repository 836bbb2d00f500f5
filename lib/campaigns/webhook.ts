import "server-only";
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { AppError } from "@/lib/errors";
import { resolveWebhookTarget, type WebhookTarget } from "./webhook-target";

export const WEBHOOK_HEADERS = {
  signature: "x-trustledger-signature",
  timestamp: "x-trustledger-timestamp",
  delivery: "x-trustledger-delivery",
  idempotency: "idempotency-key",
} as const;

/** Hex HMAC-SHA256 of `timestamp + "." + body` with the workspace's webhook secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** What is kept of an attempt: the status and the size of the answer, never its body. */
export interface WebhookAttempt {
  statusCode: number | null;
  responseBytes: number | null;
  error: string | null;
  durationMs: number;
  /** The URL's address was refused before any connection: retrying cannot help. */
  refused: boolean;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  body: string;
  timeoutMs: number;
}

/** Network errors, timeouts, 408, 425, 429 and 5xx may succeed later; any other answer, or a refused address, will not. */
export function isRetryable(a: WebhookAttempt): boolean {
  if (a.refused) return false;
  if (a.statusCode === null) return true;
  return a.statusCode === 408 || a.statusCode === 425 || a.statusCode === 429 || a.statusCode >= 500;
}

export const isDelivered = (a: WebhookAttempt): boolean =>
  a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;

/** The answer is counted up to this size, then the connection is closed. */
const MAX_COUNTED_BYTES = 1 << 20;

function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === "TimeoutError" || e.name === "AbortError") return "timed out";
  return (e as NodeJS.ErrnoException).code ?? e.message;
}

/** One POST to the checked address only: the host name still goes to TLS (SNI, certificate) and the Host header. */
function post(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; bytes: number }> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target.url,
      { method: "POST", headers, lookup: pinned, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= MAX_COUNTED_BYTES) res.destroy();
        });
        const done = () =>
          resolve({ status: res.statusCode ?? 0, bytes: Math.min(bytes, MAX_COUNTED_BYTES) });
        res.on("end", done);
        res.on("close", done);
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * One signed POST. The URL is checked and resolved again before each attempt (an address refused since it was
 * saved is not contacted). Each attempt is signed afresh with its own timestamp, so a receiver can refuse stale replays.
 */
export async function postSigned(req: WebhookRequest): Promise<WebhookAttempt> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: WebhookTarget;
  try {
    target = await resolveWebhookTarget(req.url);
  } catch (e) {
    const message = e instanceof AppError ? e.message.replace(/^url: /, "") : reason(e);
    return {
      statusCode: null,
      responseBytes: null,
      error: `refused: ${message}`,
      durationMs: elapsed(),
      refused: true,
    };
  }
  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(req.body)),
    "user-agent": "Trustledger-Webhook/1",
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: `sha256=${signWebhook(req.secret, timestamp, req.body)}`,
    [WEBHOOK_HEADERS.delivery]: req.deliveryId,
    [WEBHOOK_HEADERS.idempotency]: req.deliveryId,
  };
  try {
    const { status, bytes } = await post(target, headers, req.body, req.timeoutMs);
    const ok = status >= 200 && status < 300;
    return {
      statusCode: status,
      responseBytes: bytes,
      error: ok ? null : `HTTP ${status}`,
      durationMs: elapsed(),
      refused: false,
    };
  } catch (e) {
    return { statusCode: null, responseBytes: null, error: reason(e), durationMs: elapsed(), refused: false };
  }
}

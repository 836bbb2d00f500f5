import { createHmac } from "node:crypto";

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

export interface WebhookAttempt {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  body: string;
  timeoutMs: number;
}

/** Network errors, timeouts, 408, 425, 429 and 5xx may succeed later; any other answer will not. */
export function isRetryable(a: WebhookAttempt): boolean {
  if (a.statusCode === null) return true;
  return a.statusCode === 408 || a.statusCode === 425 || a.statusCode === 429 || a.statusCode >= 500;
}

export const isDelivered = (a: WebhookAttempt): boolean => a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;

function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (e.name === "TimeoutError") return "timed out";
  return cause?.code ?? cause?.message ?? e.message;
}

/** One signed POST. Each attempt is signed afresh with its own timestamp, so a receiver can refuse stale replays. */
export async function postSigned(req: WebhookRequest): Promise<WebhookAttempt> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(req.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(req.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Trustledger-Webhook/1",
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: `sha256=${signWebhook(req.secret, timestamp, req.body)}`,
        [WEBHOOK_HEADERS.delivery]: req.deliveryId,
        [WEBHOOK_HEADERS.idempotency]: req.deliveryId,
      },
      body: req.body,
    });
    const text = res.ok ? "" : (await res.text().catch(() => "")).slice(0, 200);
    await res.body?.cancel().catch(() => {});
    return { statusCode: res.status, error: res.ok ? null : `HTTP ${res.status}${text ? `: ${text}` : ""}`, durationMs: elapsed() };
  } catch (e) {
    return { statusCode: null, error: reason(e), durationMs: elapsed() };
  }
}

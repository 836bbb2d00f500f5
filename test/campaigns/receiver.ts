import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedBatch {
  deliveryId: string;
  signatureValid: boolean;
  body: {
    delivery_id: string;
    batch: number;
    recipients: { subject: string; field: string; action: string; message: string }[];
  };
}

export interface Receiver {
  url: string;
  /** Every request, including the ones answered with an error. */
  requests: ReceivedBatch[];
  /** Recipients of the requests answered 2xx, once per delivery id (as a receiver honouring the idempotency key). */
  accepted: Map<string, ReceivedBatch>;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1 (random port, or `port` to stand in for a receiver that went away) that verifies each signature as the README tells receivers to,
 * and fails the first attempt of each delivery id when `failFirst` is set.
 */
export async function startReceiver(
  secret: string,
  opts: { failFirst?: boolean; status?: number; port?: number } = {},
): Promise<Receiver> {
  const requests: ReceivedBatch[] = [];
  const accepted = new Map<string, ReceivedBatch>();
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(req.headers["x-trustledger-timestamp"] ?? "");
      const signature = String(req.headers["x-trustledger-signature"] ?? "");
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex")}`;
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const signatureValid =
        fresh &&
        signature.length === expected.length &&
        timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      const deliveryId = String(req.headers["x-trustledger-delivery"] ?? "");
      const batch: ReceivedBatch = {
        deliveryId,
        signatureValid,
        body: JSON.parse(raw) as ReceivedBatch["body"],
      };
      requests.push(batch);
      if (!signatureValid) return res.writeHead(401).end("bad signature");
      if (opts.status) return res.writeHead(opts.status).end("refused");
      if (opts.failFirst && !seen.has(deliveryId)) {
        seen.add(deliveryId);
        return res.writeHead(503).end("try again");
      }
      if (!accepted.has(deliveryId)) accepted.set(deliveryId, batch);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/trustledger`,
    requests,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

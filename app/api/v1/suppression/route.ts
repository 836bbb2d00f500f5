import { apiRoute } from "@/lib/http";
import { authorize } from "@/lib/auth/member";
import { clientIp } from "@/lib/auth/request";
import { getApiMember } from "@/lib/auth/session";
import { authenticateKey } from "@/lib/keys";
import { log } from "@/lib/log";
import { getDb } from "@/lib/server/database";
import {
  auditedRead,
  parseSuppressionQuery,
  streamSuppression,
  suppressionFilename,
  type SuppressionRead,
  type SuppressionReader,
} from "@/lib/suppression";

export const dynamic = "force-dynamic";

const CONTENT_TYPES = {
  json: "application/json",
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson",
} as const;

/**
 * GET /api/v1/suppression?purpose=P[&at=…][&format=json|csv|ndjson][&changed_since=<cursor>]: a
 * purpose's suppression list, streamed a page at a time. An API key with the `suppression` scope,
 * or a session whose role may read lists of subjects; every read is written to the audit log.
 */
export const GET = apiRoute(async (req: Request) => {
  const db = await getDb();
  const reader = await resolveSuppressionReader(req);
  const q = parseSuppressionQuery(Object.fromEntries(new URL(req.url).searchParams));
  const encoder = new TextEncoder();
  // The response starts once the read is prepared (purpose checked, cursor taken, audit written),
  // so a bad query is still an error status; the entries then stream with backpressure.
  let demand: (() => void) | null = null;
  let prepared: (read: SuppressionRead) => void = () => {};
  let failed: (e: unknown) => void = () => {};
  const ready = new Promise<SuppressionRead>((resolve, reject) => {
    prepared = resolve;
    failed = reject;
  });
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => {
        demand?.();
        demand = null;
      },
      cancel: () => {
        demand?.();
        demand = null;
      },
    },
    { highWaterMark: 1 },
  );
  let started = false;
  streamSuppression(
    db,
    reader.workspaceId,
    q,
    async (chunk) => {
      if (!chunk) return;
      controller.enqueue(encoder.encode(chunk));
      if ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (demand = resolve));
    },
    async (read) => {
      await auditedRead(db, reader, q)(read);
      started = true;
      prepared(read);
    },
  ).then(
    () => controller.close(),
    (e: unknown) => {
      if (!started) return failed(e);
      log("error", "suppression list stream failed", {
        workspace: reader.workspaceId,
        error: e instanceof Error ? e.message : String(e),
      });
      controller.error(e);
    },
  );
  const read = await ready;
  return new Response(body, {
    headers: {
      "content-type": CONTENT_TYPES[read.format],
      "x-next-cursor": read.nextCursor,
      "cache-control": "no-store",
      ...(read.format === "csv"
        ? { "content-disposition": `attachment; filename="${suppressionFilename(read)}"` }
        : {}),
    },
  });
});

/** An API key with the `suppression` scope when the request sends one, else a signed-in member allowed to read lists of subjects. */
async function resolveSuppressionReader(req: Request): Promise<SuppressionReader> {
  const db = await getDb();
  const authorization = req.headers.get("authorization");
  const ip = clientIp(req.headers);
  if (!authorization) {
    const member = await getApiMember(req, db);
    if (member) {
      authorize(member, "suppression:read");
      return { workspaceId: member.workspaceId, label: member.email, ip };
    }
  }
  const key = await authenticateKey(db, authorization, "suppression");
  return { workspaceId: key.workspaceId, label: `api key ${key.keyId}`, ip };
}

import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { parseEventsBody, readLimitedBody } from "@/lib/ingest/body";
import { IN_BACKGROUND, ingestBatch } from "@/lib/ingest/entry";
import { authenticateKey } from "@/lib/keys";
import { limitIngest } from "@/lib/ratelimit";
import { getDb, track } from "@/lib/server/database";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req: Request) => {
  const db = await getDb();
  const key = await authenticateKey(db, req.headers.get("authorization"), "ingest");
  limitIngest(key.keyId);
  const events = parseEventsBody(await readLimitedBody(req), req.headers.get("content-type"));
  const summary = await track(() => ingestBatch(db, key.workspaceId, events, "api", IN_BACKGROUND));
  return NextResponse.json(summary);
});

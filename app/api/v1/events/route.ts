import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { parseEventsBody, readLimitedBody } from "@/lib/ingest/body";
import { inBackground, ingestBatch } from "@/lib/ingest/entry";
import { authenticateKey } from "@/lib/keys";
import { limitIngest } from "@/lib/ratelimit";
import { appDatabase, track } from "@/lib/server/database";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req: Request) => {
  const { database, rollups } = await appDatabase();
  const db = database.db;
  const key = await authenticateKey(db, req.headers.get("authorization"), "ingest");
  limitIngest(key.keyId);
  const events = parseEventsBody(await readLimitedBody(req), req.headers.get("content-type"));
  const summary = await track(() => ingestBatch(db, key.workspaceId, events, "api", inBackground(rollups)));
  return NextResponse.json(summary);
});

import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { ingestEvents } from "@/lib/ingest";
import { parseEventsBody, readLimitedBody } from "@/lib/ingest/body";
import { authenticateKey } from "@/lib/keys";
import { scheduleCatchUp } from "@/lib/metrics/state/apply";
import { limitIngest } from "@/lib/ratelimit";
import { getDb, track } from "@/lib/server/database";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req: Request) => {
  const db = await getDb();
  const key = await authenticateKey(db, req.headers.get("authorization"), "ingest");
  limitIngest(key.keyId);
  const events = parseEventsBody(await readLimitedBody(req), req.headers.get("content-type"));
  const summary = await track(() => ingestEvents(db, key.workspaceId, events, "api"));
  if (summary.accepted) scheduleCatchUp(db, key.workspaceId, summary.accepted);
  return NextResponse.json(summary);
});

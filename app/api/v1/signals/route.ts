import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { parseBatchBody, readLimitedBody } from "@/lib/ingest/body";
import { IN_BACKGROUND, ingestSignalBatch } from "@/lib/ingest/entry";
import { authenticateKey } from "@/lib/keys";
import { limitIngest } from "@/lib/ratelimit";
import { getDb, track } from "@/lib/server/database";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req: Request) => {
  const db = await getDb();
  const key = await authenticateKey(db, req.headers.get("authorization"), "ingest");
  limitIngest(key.keyId);
  const signals = parseBatchBody(
    await readLimitedBody(req),
    req.headers.get("content-type"),
    "signals",
    true,
  );
  const gpcHeader = req.headers.get("sec-gpc")?.trim() === "1";
  const summary = await track(() =>
    ingestSignalBatch(db, key.workspaceId, signals, { gpcHeader }, IN_BACKGROUND),
  );
  return NextResponse.json(summary);
});

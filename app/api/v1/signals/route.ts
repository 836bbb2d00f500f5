import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { parseBatchBody, readLimitedBody } from "@/lib/ingest/body";
import { inBackground, ingestSignalBatch } from "@/lib/ingest/entry";
import { authenticateKey } from "@/lib/keys";
import { limitIngest } from "@/lib/ratelimit";
import { appDatabase, track } from "@/lib/server/database";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (req: Request) => {
  const { database, rollups } = await appDatabase();
  const db = database.db;
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
    ingestSignalBatch(db, key.workspaceId, signals, { gpcHeader }, inBackground(rollups)),
  );
  return NextResponse.json(summary);
});

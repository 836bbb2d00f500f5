import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { parseBatchBody, readLimitedBody } from "@/lib/ingest/body";
import { authenticateKey } from "@/lib/keys";
import { limitIngest } from "@/lib/ratelimit";
import { appDatabase, track } from "@/lib/server/database";
import { ingestSignals } from "@/lib/signals/ingest";

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
  const summary = await track(() => ingestSignals(db, key.workspaceId, signals, { gpcHeader }));
  rollups.accepted(key.workspaceId, summary.accepted);
  return NextResponse.json(summary);
});

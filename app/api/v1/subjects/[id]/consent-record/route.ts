import { NextResponse } from "next/server";
import { consentRecord } from "@/lib/consent-record";
import { apiRoute } from "@/lib/http";
import { resolveReader } from "@/lib/metrics/access";
import { getDb } from "@/lib/server/database";

export const dynamic = "force-dynamic";

// Same readers as the metrics API: an API key with the read scope, or a signed-in member with metrics:read.
export const GET = apiRoute(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const { workspaceId } = await resolveReader(db, req);
  const { id } = await params;
  return NextResponse.json(await consentRecord(db, workspaceId, id));
});

import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { computeMetric } from "@/lib/metrics";
import { resolveReader } from "@/lib/metrics/access";
import { getDb } from "@/lib/server/database";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (req: Request, { params }: { params: Promise<{ metric: string }> }) => {
  const db = await getDb();
  const reader = await resolveReader(db, req);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return NextResponse.json(await computeMetric(db, reader.workspaceId, (await params).metric, query));
});

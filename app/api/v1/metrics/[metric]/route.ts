import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http";
import { resolveReader } from "@/lib/metrics/access";
import { getDb } from "@/lib/server/database";
import { gatedMetricRead } from "@/lib/server/metric-reads";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (req: Request, { params }: { params: Promise<{ metric: string }> }) => {
  const reader = await resolveReader(await getDb(), req);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return NextResponse.json(await gatedMetricRead(reader, (await params).metric, query, req.signal));
});

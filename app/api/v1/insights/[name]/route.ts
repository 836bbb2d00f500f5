import { NextResponse } from "next/server";
import { requireApiMember } from "@/lib/auth/session";
import { apiRoute } from "@/lib/http";
import { getDb } from "@/lib/server/database";
import { gatedInsightRead } from "@/lib/server/metric-reads";

export const dynamic = "force-dynamic";

/** The dashboard's extra read endpoints (session only): inventory, event stats, churn after withdrawal, … */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ name: string }> }) => {
  const db = await getDb();
  const member = await requireApiMember(req, undefined, db);
  const { name } = await ctx.params;
  const raw = Object.fromEntries(new URL(req.url).searchParams);
  return NextResponse.json(await gatedInsightRead(member, name, raw, req.signal));
});

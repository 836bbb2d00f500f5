import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { campaignStep } from "@/lib/campaigns";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; step: string }> };

export const POST = memberRoute<Ctx>(async (req, { db, actor }, { params }) => {
  const { id, step } = await params;
  const body = req.headers.get("content-type")?.includes("json") ? await readJson(req) : {};
  return NextResponse.json(await campaignStep(db, actor, id, step, body));
});

import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { createCampaign, listCampaigns } from "@/lib/campaigns";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (_req, { db, actor }) =>
  NextResponse.json(await listCampaigns(db, actor)),
);

export const POST = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await createCampaign(db, actor, await readJson(req)), { status: 201 }),
);

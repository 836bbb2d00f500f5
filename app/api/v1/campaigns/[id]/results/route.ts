import { NextResponse } from "next/server";
import { memberRoute } from "@/lib/auth/api";
import { campaignResults } from "@/lib/campaigns";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = memberRoute<Ctx>(async (_req, { db, actor }, { params }) =>
  NextResponse.json(await campaignResults(db, actor, (await params).id)),
);

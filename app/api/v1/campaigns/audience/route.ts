import { NextResponse } from "next/server";
import { memberRoute } from "@/lib/auth/api";
import { audienceCount } from "@/lib/campaigns";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await audienceCount(db, actor, Object.fromEntries(new URL(req.url).searchParams))),
);

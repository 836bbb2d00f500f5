import { NextResponse } from "next/server";
import { memberRoute } from "@/lib/auth/api";
import { gatedAudienceCount } from "@/lib/server/metric-reads";

export const dynamic = "force-dynamic";

/** Through the read gate: its queue, budget and cancellation (`gatedAudienceCount`). */
export const GET = memberRoute(async (req, { actor }) =>
  NextResponse.json(
    await gatedAudienceCount(actor, Object.fromEntries(new URL(req.url).searchParams), req.signal),
  ),
);

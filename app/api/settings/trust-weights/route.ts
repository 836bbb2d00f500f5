import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { getTrustWeights, saveTrustWeights } from "@/lib/settings/weights";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (_req, { db, actor }) =>
  NextResponse.json(await getTrustWeights(db, actor)),
);

export const PUT = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await saveTrustWeights(db, actor, await readJson(req))),
);

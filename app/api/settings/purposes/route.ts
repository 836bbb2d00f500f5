import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { savePurpose } from "@/lib/settings/catalog";

export const dynamic = "force-dynamic";

export const POST = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await savePurpose(db, actor, await readJson(req))),
);

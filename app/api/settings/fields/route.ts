import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { saveField } from "@/lib/settings/catalog";

export const dynamic = "force-dynamic";

export const POST = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await saveField(db, actor, await readJson(req))),
);

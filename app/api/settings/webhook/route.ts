import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { getWebhook, saveWebhook } from "@/lib/settings/webhook";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (_req, { db, actor }) => NextResponse.json(await getWebhook(db, actor)));

export const PUT = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await saveWebhook(db, actor, await readJson(req)), {
    headers: { "Cache-Control": "no-store" },
  }),
);

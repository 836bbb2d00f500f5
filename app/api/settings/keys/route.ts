import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { createKey, listKeys } from "@/lib/settings/keys";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (_req, { db, actor }) =>
  NextResponse.json({ keys: await listKeys(db, actor) }),
);

/** The response carries the full key: the only time it is shown. */
export const POST = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await createKey(db, actor, await readJson(req)), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  }),
);

import { NextResponse } from "next/server";
import { memberRoute } from "@/lib/auth/api";
import { getCatalog } from "@/lib/settings/catalog";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (_req, { db, actor }) => NextResponse.json(await getCatalog(db, actor)));

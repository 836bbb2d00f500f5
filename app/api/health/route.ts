import { NextResponse } from "next/server";
import { databaseHealth } from "@/lib/health";
import { apiRoute } from "@/lib/http";
import { appDatabase } from "@/lib/server/database";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => {
  try {
    const { database } = await appDatabase();
    const health = await databaseHealth(database);
    return NextResponse.json({ status: "ok", ...health });
  } catch (e) {
    return NextResponse.json(
      {
        status: "unavailable",
        database: { reachable: false, error: e instanceof Error ? e.message : String(e) },
      },
      { status: 503 },
    );
  }
});

import { NextResponse } from "next/server";
import { memberRoute } from "@/lib/auth/api";
import { revokeKey } from "@/lib/settings/keys";

export const dynamic = "force-dynamic";

export const DELETE = memberRoute<{ params: Promise<{ id: string }> }>(
  async (_req, { db, actor }, { params }) => {
    await revokeKey(db, actor, { id: (await params).id });
    return new NextResponse(null, { status: 204 });
  },
);

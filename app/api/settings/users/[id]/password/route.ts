import { NextResponse } from "next/server";
import { memberRoute } from "@/lib/auth/api";
import { resetPassword } from "@/lib/auth/account";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/**
 * An admin resets another member's password (no body): the response carries the one-time password, shown once
 * and stored only as a hash. resetPassword checks the permission and which accounts this workspace may reset.
 */
export const POST = memberRoute<Ctx>(async (_req, { db, actor }, { params }) =>
  NextResponse.json(await resetPassword(db, actor, { userId: (await params).id }), {
    headers: { "Cache-Control": "no-store" },
  }),
);

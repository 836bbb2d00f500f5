import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { withdrawInvitation } from "@/lib/users/invitations";

export const dynamic = "force-dynamic";

/** Withdraws a pending invitation: body {"email"}. */
export const DELETE = memberRoute(async (req, { db, actor }) => {
  await withdrawInvitation(db, actor, await readJson(req));
  return new NextResponse(null, { status: 204 });
});

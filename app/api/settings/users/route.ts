import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { inviteMember, listMembers } from "@/lib/users";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (_req, { db, actor }) => NextResponse.json({ members: await listMembers(db, actor) }));

/** The response carries the one-time password: it is shown once and never stored in clear. */
export const POST = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await inviteMember(db, actor, await readJson(req)), { status: 201, headers: { "Cache-Control": "no-store" } }),
);

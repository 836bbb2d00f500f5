import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { inviteMember, listMembers } from "@/lib/users";
import { listInvitations } from "@/lib/users/invitations";

export const dynamic = "force-dynamic";

export const GET = memberRoute(async (_req, { db, actor }) =>
  NextResponse.json({ members: await listMembers(db, actor), invitations: await listInvitations(db, actor) }),
);

/** The response carries the invitation's one-time password: it is shown once and stored only as a hash. */
export const POST = memberRoute(async (req, { db, actor }) =>
  NextResponse.json(await inviteMember(db, actor, await readJson(req)), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  }),
);

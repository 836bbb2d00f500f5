import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { answerInvitation, invitationsForMe } from "@/lib/users/invitations";

export const dynamic = "force-dynamic";

/** The invitations addressed to the signed-in user's e-mail. */
export const GET = memberRoute(async (_req, { db, member }) =>
  NextResponse.json({ invitations: await invitationsForMe(db, member) }),
);

/** Body {"workspace": slug, "accept": true|false}. */
export const POST = memberRoute(async (req, { db, member }) =>
  NextResponse.json(await answerInvitation(db, member, await readJson(req))),
);

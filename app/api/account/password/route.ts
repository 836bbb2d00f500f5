import { NextResponse } from "next/server";
import { changePassword } from "@/lib/auth/account";
import { memberRoute, readJson } from "@/lib/auth/api";

export const dynamic = "force-dynamic";

/** Body {"current_password", "new_password"}. Every session of the account ends: sign in again with the new one. */
export const POST = memberRoute(async (req, { db, member, actor }) =>
  NextResponse.json(await changePassword(db, member, actor.ip, await readJson(req)), {
    headers: { "Cache-Control": "no-store" },
  }),
);

import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { deleteCampaign, getCampaign, updateCampaign } from "@/lib/campaigns";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = memberRoute<Ctx>(async (_req, { db, actor }, { params }) =>
  NextResponse.json(await getCampaign(db, actor, (await params).id)),
);

export const PATCH = memberRoute<Ctx>(async (req, { db, actor }, { params }) =>
  NextResponse.json(await updateCampaign(db, actor, (await params).id, await readJson(req))),
);

/** A draft or a cancelled campaign only (409 otherwise); the audit log keeps what it was. */
export const DELETE = memberRoute<Ctx>(async (_req, { db, actor }, { params }) => {
  await deleteCampaign(db, actor, (await params).id);
  return NextResponse.json({ ok: true });
});

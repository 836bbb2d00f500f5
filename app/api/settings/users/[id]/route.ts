import { NextResponse } from "next/server";
import { memberRoute, readJson } from "@/lib/auth/api";
import { changeRole, removeMember } from "@/lib/users";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = memberRoute<Ctx>(async (req, { db, actor }, { params }) => {
  const body = (await readJson(req)) as { role?: unknown } | null;
  const role = await changeRole(db, actor, { userId: (await params).id, role: body?.role });
  return NextResponse.json({ role });
});

export const DELETE = memberRoute<Ctx>(async (_req, { db, actor }, { params }) => {
  await removeMember(db, actor, { userId: (await params).id });
  return new NextResponse(null, { status: 204 });
});

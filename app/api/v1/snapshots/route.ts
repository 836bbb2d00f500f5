import { NextResponse } from "next/server";
import {
  gatedSnapshotRead,
  overviewSnapshotData,
  viewOfSnapshot,
} from "@/app/(dashboard)/overview/snapshot/data";
import { memberRoute, readJson } from "@/lib/auth/api";
import { listSnapshots, parseSnapshotView, saveSnapshot } from "@/lib/snapshots";

export const dynamic = "force-dynamic";

/** The workspace's saved Overview snapshots, newest first (without their numbers). */
export const GET = memberRoute(async (_req, { db, actor }) =>
  NextResponse.json({ snapshots: await listSnapshots(db, actor) }),
);

/** Saves the Overview of `{from, to, region?, channel?}` as it reads now; 201 with its id and link. */
export const POST = memberRoute(async (req, { db, actor }) => {
  const view = parseSnapshotView(await readJson(req));
  const saved = await saveSnapshot(db, actor, view, () =>
    overviewSnapshotData(gatedSnapshotRead(actor, req.signal), viewOfSnapshot(view)),
  );
  return NextResponse.json(
    { id: saved.id, url: `/overview/snapshot/${saved.id}`, created_at: saved.createdAt, view: saved.view },
    { status: 201 },
  );
});

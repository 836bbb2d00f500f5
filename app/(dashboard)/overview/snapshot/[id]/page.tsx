import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { screenContext } from "@/app/_components/server-context";
import { actorOf } from "@/lib/auth/member";
import { AppError } from "@/lib/errors";
import { getSnapshot } from "@/lib/snapshots";
import { viewOfSnapshot, type SnapshotData } from "../data";
import { SnapshotReport } from "../report";

export const metadata: Metadata = { title: "Saved snapshot · Trustledger" };

/** A saved Overview snapshot: the numbers stored when it was saved, never recomputed. */
export default async function SavedSnapshot({ params }: { params: Promise<{ id: string }> }) {
  const [{ member, db, formats: f }, { id }] = await Promise.all([screenContext("metrics:read"), params]);
  let snapshot;
  try {
    snapshot = await getSnapshot<SnapshotData>(db, actorOf(member, null), id);
  } catch (e) {
    if (e instanceof AppError && (e.code === "not_found" || e.code === "bad_request")) notFound();
    throw e;
  }
  const { payload, ...stored } = snapshot;
  return (
    <SnapshotReport
      data={payload}
      view={viewOfSnapshot(snapshot.view)}
      f={f}
      workspaceName={member.workspaceName}
      stored={stored}
    />
  );
}

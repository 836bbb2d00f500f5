import type { Metadata } from "next";
import { screenView, type SearchParams } from "@/app/_components/server-context";
import { actorOf } from "@/lib/auth/member";
import { listSnapshots } from "@/lib/snapshots";
import { gatedSnapshotRead, overviewSnapshotData, snapshotViewOf } from "./data";
import { SnapshotReport } from "./report";
import { SaveSnapshotButton } from "./save-button";

export const metadata: Metadata = { title: "Overview snapshot · Trustledger" };

/**
 * The Overview as a dated, read-only page for a board pack: its period and filters pinned in the link, the time it
 * was computed, every KPI with its counts, the Trust Index by month, and each definition as a footnote. Printable,
 * and it can be saved: a saved snapshot (`/overview/snapshot/<id>`) keeps these numbers as they are now.
 */
export default async function OverviewSnapshot({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, view, formats: f } = await screenView("metrics:read", searchParams);
  const [data, saved] = await Promise.all([
    overviewSnapshotData(gatedSnapshotRead(member), view),
    listSnapshots(db, actorOf(member, null), 10),
  ]);
  return (
    <SnapshotReport
      data={data}
      view={view}
      f={f}
      workspaceName={member.workspaceName}
      actions={<SaveSnapshotButton view={snapshotViewOf(view)} />}
      saved={saved}
    />
  );
}

import { NextResponse } from "next/server";
import { requireApiMember } from "@/lib/auth/session";
import { ingestUpload, MAX_UPLOAD_BYTES, readUpload, uploadTooLarge } from "@/lib/event-stats/upload";
import { apiRoute } from "@/lib/http";
import { inBackground } from "@/lib/ingest/entry";
import { appDatabase, track } from "@/lib/server/database";

export const dynamic = "force-dynamic";

/** The Events screen's upload: an NDJSON or CSV file (form field `file`), signed-in session with events:write. */
export const POST = apiRoute(async (req: Request) => {
  const { database, rollups } = await appDatabase();
  const db = database.db;
  const member = await requireApiMember(req, "events:write", db);
  if (Number(req.headers.get("content-length") ?? "0") > MAX_UPLOAD_BYTES + 64 * 1024) throw uploadTooLarge();
  const file = await readUpload(req);
  const summary = await track(() => ingestUpload(db, member.workspaceId, file, inBackground(rollups)));
  return NextResponse.json(summary);
});

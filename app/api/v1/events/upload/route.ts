import { NextResponse } from "next/server";
import { requireApiMember } from "@/lib/auth/session";
import { AppError, badRequest } from "@/lib/errors";
import { ingestUpload, MAX_UPLOAD_BYTES } from "@/lib/event-stats/upload";
import { apiRoute } from "@/lib/http";
import { getDb, track } from "@/lib/server/database";

export const dynamic = "force-dynamic";

const tooLarge = () => new AppError("payload_too_large", `the file is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB: split it, or use tl import`);

/** The Events screen's upload: an NDJSON or CSV file (form field `file`), signed-in session with events:write. */
export const POST = apiRoute(async (req: Request) => {
  const db = await getDb();
  const member = await requireApiMember(req, "events:write", db);
  if (Number(req.headers.get("content-length") ?? "0") > MAX_UPLOAD_BYTES + 64 * 1024) throw tooLarge();
  const form = await req.formData().catch(() => {
    throw badRequest("expected a multipart form with the file in the field 'file'");
  });
  const file = form.get("file");
  if (!(file instanceof File)) throw badRequest("file: expected an NDJSON or CSV file in the form field 'file'");
  if (file.size > MAX_UPLOAD_BYTES) throw tooLarge();
  const text = await file.text();
  const summary = await track(() => ingestUpload(db, member.workspaceId, { name: file.name, type: file.type, text }));
  return NextResponse.json(summary);
});

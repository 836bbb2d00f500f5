import { NextResponse } from "next/server";
import { actorOf } from "@/lib/auth/member";
import { clientIp } from "@/lib/auth/request";
import { getApiMember } from "@/lib/auth/session";
import { readConsentRecord, type ConsentRecordReader } from "@/lib/consent-record/read";
import { apiRoute } from "@/lib/http";
import { authenticateKey } from "@/lib/keys";
import { getDb } from "@/lib/server/database";

export const dynamic = "force-dynamic";

// Individual-level data: a signed-in admin or privacy member (marketers and executives get 403), or an API key with
// the read scope. Every read is audited (lib/consent-record/read.ts).
export const GET = apiRoute(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const ip = clientIp(req.headers);
  const authorization = req.headers.get("authorization");
  const member = authorization ? null : await getApiMember(req, db);
  let reader: ConsentRecordReader;
  if (member) {
    reader = actorOf(member, ip);
  } else {
    const key = await authenticateKey(db, authorization, "read");
    reader = { workspaceId: key.workspaceId, apiKeyId: key.keyId, ip };
  }
  const { id } = await params;
  return NextResponse.json(await readConsentRecord(db, reader, id));
});

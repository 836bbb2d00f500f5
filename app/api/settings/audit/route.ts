import { NextResponse } from "next/server";
import { auditCsv, listAudit } from "@/lib/audit";
import { memberRoute } from "@/lib/auth/api";

export const dynamic = "force-dynamic";

/** `?action=&actor=&from=&to=&limit=`; `format=csv` downloads every matching entry. */
export const GET = memberRoute(async (req, { db, actor, member }) => {
  const { format, ...filter } = Object.fromEntries(new URL(req.url).searchParams);
  if (format === "csv") {
    return new NextResponse(await auditCsv(db, actor, filter), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-log-${member.workspaceSlug}.csv"`,
      },
    });
  }
  return NextResponse.json({ entries: await listAudit(db, actor, filter) });
});

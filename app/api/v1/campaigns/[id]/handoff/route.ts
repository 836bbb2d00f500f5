import { memberRoute } from "@/lib/auth/api";
import { handoffCsv } from "@/lib/campaigns";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = memberRoute<Ctx>(async (_req, { db, actor }, { params }) => {
  const { csv, filename } = await handoffCsv(db, actor, (await params).id);
  return new Response(csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" },
  });
});

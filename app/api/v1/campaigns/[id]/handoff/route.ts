import { z } from "zod";
import { memberRoute } from "@/lib/auth/api";
import { HANDOFF_FORMATS, handoffFile } from "@/lib/campaigns";
import { parseInput } from "@/lib/parse";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const Query = z.object({
  format: z.enum(HANDOFF_FORMATS, { error: `expected ${HANDOFF_FORMATS.join(" or ")}` }).default("csv"),
});

/** The hand-off: CSV (formula-like cells neutralised), or `?format=json` with the subjects exactly as sent. */
export const GET = memberRoute<Ctx>(async (req, { db, actor }, { params }) => {
  const { format } = parseInput(Query, Object.fromEntries(new URL(req.url).searchParams));
  const file = await handoffFile(db, actor, (await params).id, format);
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
});

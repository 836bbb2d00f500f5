import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { attributeSegments, type MetricEvent } from "./contributions";

/** The context of a first collection without one (SPEC 4, first use). */
export const UNKNOWN_CONTEXT = "unknown";
/** −∞ and +∞ of `vf` and `vt` (epoch ms). */
export const FIRST_USE_NEG_INF = -Number.MAX_SAFE_INTEGER;
export const FIRST_USE_POS_INF = Number.MAX_SAFE_INTEGER;

/** A row of `metric_first_use`. */
export interface FirstUseRow {
  subject: string;
  field: string;
  collected_at: number;
  context: string;
  used_at: number | null;
  region: string;
  channel: string;
  vf: number;
  vt: number;
}

/**
 * One subject's first-use rows from all its events (event order): per field, its first
 * collection and the first subject-level use at or after it, once per segment of the subject's
 * (region, channel) in which a query can count it. The latest values before a query's end `to`
 * are those of the events at or before to − 1 ms, so a segment [vf, vt) of the instant clock
 * holds for vf < to <= vt; a query counts the row only when to > the collection, so segments
 * ending by it are left out and the first one kept starts at −∞.
 */
export function firstUseRows(events: MetricEvent[]): FirstUseRow[] {
  const subject = events[0]?.subject;
  if (!subject) return [];
  const first = new Map<string, { collected: MetricEvent; used: number | null }>();
  for (const e of events)
    if (e.type === "data.collected" && e.field && !first.has(e.field))
      first.set(e.field, { collected: e, used: null });
  for (const e of events) {
    if (e.type !== "data.used" || !e.field) continue;
    const f = first.get(e.field);
    if (f && e.t >= f.collected.t && (f.used === null || e.t < f.used)) f.used = e.t;
  }
  if (!first.size) return [];
  const segments = attributeSegments(events, (t) => t);
  const out: FirstUseRow[] = [];
  for (const [field, { collected, used }] of first) {
    let kept = 0;
    segments.forEach((s, i) => {
      const vt = i === segments.length - 1 ? FIRST_USE_POS_INF : s.vt;
      if (vt <= collected.t) return;
      out.push({
        subject,
        field,
        collected_at: collected.t,
        context: collected.context ?? UNKNOWN_CONTEXT,
        used_at: used,
        region: s.region,
        channel: s.channel,
        vf: kept++ === 0 ? FIRST_USE_NEG_INF : s.vf,
        vt,
      });
    });
  }
  return out;
}

/** Rows per statement: one JSON parameter of millions of rows runs PGlite out of memory. */
const WRITE_CHUNK = 20_000;

/**
 * Replaces the first-use rows of these subjects with the given ones (each subject's rows from all
 * its events): first use is not a sum, so the applier rewrites a subject's rows instead of adding
 * differences. The subjects in key order, so concurrent writers lock alike.
 */
export async function replaceFirstUseRows(
  tx: Db,
  workspaceId: number,
  bySubject: ReadonlyMap<string, FirstUseRow[]>,
): Promise<void> {
  const subjects = [...bySubject.keys()].sort();
  for (let i = 0; i < subjects.length; i += WRITE_CHUNK) {
    const chunk = subjects.slice(i, i + WRITE_CHUNK);
    // `= ANY(ARRAY(…))`: the list is built once and each subject is a probe of the key's index, whatever the
    // statistics say. `IN (SELECT …)` was planned, on statistics from before the table filled, as a nested loop that
    // re-read the whole list for every row of the workspace: 3 s per 20,000 subjects in `tl bench ingest`.
    await tx.execute(
      sql`DELETE FROM metric_first_use
          WHERE workspace_id = ${workspaceId}
            AND subject = ANY (ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(chunk)}::jsonb)))`,
    );
    const rowsToWrite = chunk.flatMap((s) => bySubject.get(s) ?? []);
    for (let j = 0; j < rowsToWrite.length; j += WRITE_CHUNK) {
      await tx.execute(
        sql`INSERT INTO metric_first_use (workspace_id, subject, field, collected_at, context, used_at, region, channel, vf, vt)
            SELECT ${workspaceId}::bigint, r.subject, r.field, r.collected_at, r.context, r.used_at, r.region, r.channel, r.vf, r.vt
            FROM jsonb_to_recordset(${JSON.stringify(rowsToWrite.slice(j, j + WRITE_CHUNK))}::jsonb)
              AS r(subject text, field text, collected_at bigint, context text, used_at bigint, region text, channel text, vf bigint, vt bigint)`,
      );
    }
  }
}

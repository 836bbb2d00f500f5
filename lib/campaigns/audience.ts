import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/db/client";
import { fields, purposes } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { badRequest } from "@/lib/errors";
import { isoInstant } from "@/lib/metrics/buckets";
import { CONSENT_EVENTS } from "@/lib/metrics/rules/event-types";
import { checkFilterValues } from "@/lib/metrics/filter-values";
import { dormantSql } from "@/lib/metrics/rules/holdings";
import { parseInput } from "@/lib/parse";
import type { AudienceCount } from "./types";

const DAY_MS = 86_400_000;

export interface AudienceFilter {
  field: string;
  purpose: string | null;
  region: string | null;
  channel: string | null;
}

const optionalKey = z
  .string()
  .trim()
  .max(64)
  .nullish()
  .transform((v) => v || null);

/** An instant with its offset, as the API writes them; the error says what is expected and what came. */
const instant = z.string().refine((v) => z.iso.datetime({ offset: true }).safeParse(v).success, {
  error: (issue) =>
    `expected an ISO-8601 instant with offset (2026-01-01T00:00:00Z), got '${String(issue.input).slice(0, 64)}'`,
});

export const AudienceQuery = z.object({
  field: z.string().trim().min(1, "expected a field key").max(64),
  purpose: optionalKey,
  region: optionalKey,
  channel: optionalKey,
  at: instant.optional(),
  /** Also count at this instant: the Data inventory's (the end of its period), to say why the two differ. */
  compare_at: instant.optional(),
});

export interface CatalogEntry {
  key: string;
  name: string;
}

export async function fieldEntry(
  db: Db,
  workspaceId: number,
  key: string,
): Promise<CatalogEntry & { dormancyDays: number }> {
  const [f] = await db
    .select({ key: fields.key, name: fields.name, dormancyDays: fields.dormancyDays })
    .from(fields)
    .where(and(eq(fields.workspaceId, workspaceId), eq(fields.key, key)));
  if (!f) throw badRequest(`field: unknown field '${key}'`);
  return f;
}

export async function purposeEntry(db: Db, workspaceId: number, key: string): Promise<CatalogEntry> {
  const [p] = await db
    .select({ key: purposes.key, name: purposes.name })
    .from(purposes)
    .where(and(eq(purposes.workspaceId, workspaceId), eq(purposes.key, key)));
  if (!p) throw badRequest(`purpose: unknown purpose '${key}'`);
  return p;
}

/**
 * The filter's purpose, region and channel exist in the workspace, as a metric's filters must: a region or channel
 * no event has would make an audience of nobody without saying why. (The field is checked where it is counted.)
 */
export async function checkAudienceFilter(
  db: Db,
  workspaceId: number,
  filter: Pick<AudienceFilter, "purpose" | "region" | "channel">,
): Promise<void> {
  if (filter.purpose) await purposeEntry(db, workspaceId, filter.purpose);
  await checkFilterValues(db, workspaceId, {
    region: filter.region ?? undefined,
    channel: filter.channel ?? undefined,
  });
}

/** A subject's latest non-empty value of an event attribute up to `at` (SPEC section 4, filters). */
function latestAttribute(workspaceId: number, subject: SQL, column: "region" | "channel", at: string): SQL {
  return sql`(SELECT e.${sql.raw(column)} FROM events e
    WHERE e.workspace_id = ${workspaceId} AND e.subject = ${subject} AND e.${sql.raw(column)} IS NOT NULL AND e.occurred_at <= ${at}::timestamptz
    ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1)`;
}

function consentState(workspaceId: number, subject: SQL, purpose: string, at: string): SQL {
  return sql`(SELECT e.type FROM events e
    WHERE e.workspace_id = ${workspaceId} AND e.subject = ${subject} AND e.purpose = ${purpose}
      AND e.type IN (${sql.join(
        CONSENT_EVENTS.map((t) => sql`${t}`),
        sql`, `,
      )}) AND e.occurred_at <= ${at}::timestamptz
    ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1)`;
}

/**
 * Rows `(subject, dormant)`: the holdings of the field at `at` after the filters, per SPEC section 4. A holding
 * is a subject whose latest collection or deletion of the field at or before `at` (in event order) is a collection;
 * it is dormant when collected at or before `at − W` and the field was not used for the subject, nor in bulk, in
 * `(at − W, at]`.
 * A purpose keeps the subjects whose consent for it is `granted` at `at`: the permission a `release` hands back.
 */
export function holdingsSql(
  workspaceId: number,
  filter: AudienceFilter,
  at: Date,
  dormancyDays: number,
): SQL {
  const atIso = at.toISOString();
  const since = new Date(at.getTime() - dormancyDays * DAY_MS).toISOString();
  const h = sql.raw("h.subject");
  const where: SQL[] = [sql`TRUE`];
  if (filter.region) where.push(sql`${latestAttribute(workspaceId, h, "region", atIso)} = ${filter.region}`);
  if (filter.channel)
    where.push(sql`${latestAttribute(workspaceId, h, "channel", atIso)} = ${filter.channel}`);
  if (filter.purpose)
    where.push(sql`${consentState(workspaceId, h, filter.purpose, atIso)} = 'consent.granted'`);
  // One grouped pass over the field's events, no join: the plan cannot go wrong when statistics are missing.
  return sql`
    WITH s AS (
      SELECT subject,
        (array_agg(type ORDER BY occurred_at DESC, seq DESC) FILTER (WHERE type <> 'data.used'))[1] AS last_type,
        max(occurred_at) FILTER (WHERE type = 'data.collected') AS collected_at,
        max(occurred_at) FILTER (WHERE type = 'data.used') AS used_at
      FROM events
      WHERE workspace_id = ${workspaceId} AND field = ${filter.field} AND subject IS NOT NULL
        AND type IN ('data.collected', 'data.deleted', 'data.used') AND occurred_at <= ${atIso}::timestamptz
      GROUP BY subject
    ), bulk AS (
      SELECT max(occurred_at) AS used_at FROM events WHERE workspace_id = ${workspaceId} AND field = ${filter.field} AND type = 'data.used'
        AND subject IS NULL AND occurred_at <= ${atIso}::timestamptz
    )
    SELECT h.subject,
      ${dormantSql({ collectedAt: sql`h.collected_at`, usedAt: sql`h.used_at`, bulkUsedAt: sql`(SELECT used_at FROM bulk)` }, sql`${since}::timestamptz`)} AS dormant
    FROM s h
    WHERE h.last_type = 'data.collected' AND ${sql.join(where, sql` AND `)}`;
}

/** Holdings and dormant holdings (the audience) of a field at an instant, with the campaign's filters. */
export async function countHoldings(
  db: Db,
  workspaceId: number,
  filter: AudienceFilter,
  at: Date,
): Promise<{ holdings: number; audience: number }> {
  const field = await fieldEntry(db, workspaceId, filter.field);
  const [r] = await rows<{ holdings: string | number; audience: string | number }>(
    db,
    sql`SELECT count(*) AS holdings, count(*) FILTER (WHERE a.dormant) AS audience FROM (${holdingsSql(workspaceId, filter, at, field.dormancyDays)}) a`,
  );
  return { holdings: Number(r?.holdings ?? 0), audience: Number(r?.audience ?? 0) };
}

/**
 * The live audience of a draft: what launching now would freeze, at the instant it states. Dormancy depends on the
 * instant (a holding unused for its window becomes dormant as time passes), so with `compare_at` (the Data
 * inventory's instant) the same rule is counted there too, and the screen can say why the numbers differ.
 */
export async function audienceCount(db: Db, actor: Actor, input: unknown): Promise<AudienceCount> {
  authorize(actor, "campaigns:read");
  const q = parseInput(AudienceQuery, input);
  const at = q.at ? new Date(q.at) : new Date();
  const filter: AudienceFilter = { field: q.field, purpose: q.purpose, region: q.region, channel: q.channel };
  await checkAudienceFilter(db, actor.workspaceId, filter);
  const compareAt = q.compare_at ? new Date(q.compare_at) : null;
  const [counts, compared] = await Promise.all([
    countHoldings(db, actor.workspaceId, filter, at),
    compareAt ? countHoldings(db, actor.workspaceId, filter, compareAt) : null,
  ]);
  return {
    field: q.field,
    at: isoInstant(at),
    ...counts,
    compared: compareAt && compared ? { at: isoInstant(compareAt), ...compared } : null,
  };
}

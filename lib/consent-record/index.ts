import "server-only";
import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { fields, purposes, subjects } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { getWorkspaceById } from "@/lib/workspaces";
import type {
  ConsentRecord,
  ConsentRecordEvent,
  ConsentRecordField,
  ConsentRecordPurpose,
  DataFact,
} from "./types";

export type {
  ConsentRecord,
  ConsentRecordEvent,
  ConsentRecordField,
  ConsentRecordPurpose,
  DataFact,
} from "./types";

export const CONSENT_RECORD_SCHEMA_VERSION = "trustledger-consent-record/1";
export const CONSENT_RECORD_CONFORMS_TO = "ISO/IEC TS 27560:2023";

interface SubjectEventRow extends Omit<ConsentRecordEvent, "purpose"> {
  purpose: string | null;
  field: string | null;
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * A subject's consent history as an ISO/IEC TS 27560-style consent record: who the controller is, each purpose
 * with its current state, legal basis and value promise, every consent event in event order, and the facts about
 * the subject's data. 404 for a subject the workspace has never seen (another workspace's subject included).
 */
export async function consentRecord(db: Db, workspaceId: number, subject: string): Promise<ConsentRecord> {
  const [seen] = await db
    .select()
    .from(subjects)
    .where(and(eq(subjects.workspaceId, workspaceId), eq(subjects.subject, subject)))
    .limit(1);
  if (!seen) throw notFound(`subject '${subject}' not found in this workspace`);
  const [workspace, catalog, fieldCatalog, history] = await Promise.all([
    getWorkspaceById(db, workspaceId),
    db.select().from(purposes).where(eq(purposes.workspaceId, workspaceId)).orderBy(asc(purposes.key)),
    db.select().from(fields).where(eq(fields.workspaceId, workspaceId)).orderBy(asc(fields.key)),
    rows<SubjectEventRow>(
      db,
      sql`SELECT id, type, purpose, field, ${iso("occurred_at")} AS occurred_at, ${iso("received_at")} AS received_at,
            source, channel, region, context, campaign
          FROM events WHERE workspace_id = ${workspaceId} AND subject = ${subject}
          ORDER BY occurred_at, seq`,
    ),
  ]);

  const consentEvents: ConsentRecordEvent[] = history
    .filter((e) => e.type.startsWith("consent.") && e.purpose)
    .map((e) => ({
      id: e.id,
      type: e.type,
      purpose: e.purpose ?? "",
      occurred_at: e.occurred_at,
      received_at: e.received_at,
      source: e.source,
      channel: e.channel,
      region: e.region,
      context: e.context,
      campaign: e.campaign,
    }));

  const latest = new Map<string, ConsentRecordEvent>();
  for (const e of consentEvents) latest.set(e.purpose, e);
  const purposeRecords: ConsentRecordPurpose[] = catalog
    .filter((p) => p.status === "declared" || latest.has(p.key))
    .map((p) => {
      const last = latest.get(p.key);
      return {
        purpose: p.key,
        name: p.name,
        description: p.description,
        legal_basis: p.legalBasis,
        value_promise: p.valuePromise,
        status: p.status,
        state: last ? (last.type.slice("consent.".length) as ConsentRecordPurpose["state"]) : "never_asked",
        state_since: last?.occurred_at ?? null,
        last_event_id: last?.id ?? null,
      };
    });

  return {
    schema_version: CONSENT_RECORD_SCHEMA_VERSION,
    conforms_to: CONSENT_RECORD_CONFORMS_TO,
    record_id: recordId(workspaceId, subject),
    generated_at: new Date().toISOString(),
    updated_at: history.reduce<string | null>(
      (max, e) => (max === null || e.received_at > max ? e.received_at : max),
      null,
    ),
    controller: { name: workspace.name, workspace: workspace.slug },
    subject: {
      id: subject,
      first_seen_at: seen.firstSeenAt.toISOString(),
      last_seen_at: seen.lastSeenAt.toISOString(),
      region: latestValue(history, "region"),
      channel: latestValue(history, "channel"),
    },
    purposes: purposeRecords,
    events: consentEvents,
    data: dataFacts(history, fieldCatalog),
  };
}

function dataFacts(
  history: readonly SubjectEventRow[],
  catalog: ReadonlyArray<typeof fields.$inferSelect>,
): ConsentRecordField[] {
  const byField = new Map<string, DataFact[]>();
  for (const e of history) {
    if (!e.type.startsWith("data.") || !e.field) continue;
    const facts = byField.get(e.field) ?? [];
    facts.push({
      id: e.id,
      type: e.type,
      occurred_at: e.occurred_at,
      purpose: e.purpose,
      source: e.source,
      campaign: e.campaign,
    });
    byField.set(e.field, facts);
  }
  const known = new Map(catalog.map((f) => [f.key, f]));
  return [...byField.keys()].sort().map((key) => {
    const facts = byField.get(key) ?? [];
    const f = known.get(key);
    const last = (type: string) => facts.filter((x) => x.type === type).at(-1)?.occurred_at ?? null;
    // Facts are in event order, so the field is held when its last collection or deletion was a collection.
    const lastHoldingFact = facts.filter((x) => x.type !== "data.used").at(-1);
    return {
      field: key,
      name: f?.name ?? key,
      sensitivity: f?.sensitivity ?? null,
      serves: f?.purposes ?? [],
      held: lastHoldingFact?.type === "data.collected",
      last_collected_at: last("data.collected"),
      last_used_at: last("data.used"),
      deleted_at: last("data.deleted"),
      facts,
    };
  });
}

function latestValue(history: readonly SubjectEventRow[], key: "region" | "channel"): string | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const v = history[i]?.[key];
    if (v) return v;
  }
  return null;
}

// A fixed namespace makes the record id a stable UUID v5 of (workspace, subject): the same record on every export.
const RECORD_NAMESPACE = Buffer.from("6f1c1e2a4b7d4e0f9a3c5b2d8e7f6a10", "hex");

function recordId(workspaceId: number, subject: string): string {
  const hash = createHash("sha1").update(RECORD_NAMESPACE).update(`${workspaceId}:${subject}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

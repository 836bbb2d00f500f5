import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { validateEvent, type ValidEvent } from "@/lib/events/contract";
import type { StoredEventRow } from "@/lib/events/stored";
import { lockKey } from "@/lib/metrics/state";
import { applyDerivedState } from "./derived";

export const MAX_BATCH_EVENTS = 5000;
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;
const VALIDATED_PER_TURN = 250;
/** Rejections kept per batch for the Events screen; the response always lists all of them. */
const REJECTIONS_LOGGED_PER_BATCH = 100;

export interface Rejection {
  index: number;
  id: string | null;
  errors: string[];
}

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

export type IngestVia = "api" | "import" | "upload" | "seed" | "signals" | "campaign";

/**
 * Validates each event on its own and stores the valid ones in one transaction, set-based.
 * Of events sharing an id the first to arrive is kept (in this batch or an earlier one).
 * Returns after commit, so a summary means the events are durable.
 */
export async function ingestEvents(
  db: Db,
  workspaceId: number,
  inputs: readonly unknown[],
  via: IngestVia,
  indexOffset = 0,
): Promise<IngestSummary> {
  const rejected: Rejection[] = [];
  const fresh: ValidEvent[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (let i = 0; i < inputs.length; i++) {
    // A turn of the event loop now and then: validating 5,000 events must not hold every other request.
    if (i > 0 && i % VALIDATED_PER_TURN === 0) await new Promise((r) => setImmediate(r));
    const result = validateEvent(inputs[i]);
    if (!result.ok) {
      rejected.push({ index: i + indexOffset, id: result.id, errors: result.errors });
    } else if (seen.has(result.event.id)) {
      duplicates++;
    } else {
      seen.add(result.event.id);
      fresh.push(result.event);
    }
  }

  let accepted = 0;
  await db.transaction(async (tx) => {
    if (fresh.length) {
      // Shared with other batches, before the events are numbered: a suppression sync cursor
      // (lib/suppression) takes it alone to see every numbered event committed.
      await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${lockKey(workspaceId)})`);
      const stored = await insertEvents(tx, workspaceId, fresh);
      accepted = stored.length;
      duplicates += fresh.length - stored.length;
      if (stored.length) await applyDerivedState(tx, workspaceId, stored);
    }
    if (rejected.length)
      await logRejections(tx, workspaceId, rejected.slice(0, REJECTIONS_LOGGED_PER_BATCH), via);
  });
  return { accepted, duplicates, rejected };
}

export type { StoredEventRow } from "@/lib/events/stored";

async function insertEvents(tx: Db, workspaceId: number, batch: ValidEvent[]): Promise<StoredEventRow[]> {
  const payload = JSON.stringify(
    batch.map((e) => ({
      id: e.id,
      type: e.type,
      subject: e.subject ?? null,
      occurred_at: e.occurred_at,
      purpose: e.purpose ?? null,
      field: e.field ?? null,
      source: e.source ?? null,
      channel: e.channel ?? null,
      region: e.region ?? null,
      context: e.context ?? null,
      value_kind: e.value?.kind ?? null,
      value_amount: e.value?.amount ?? null,
      value_currency: e.value?.currency ?? null,
      score: e.score ?? null,
      request: e.request ?? null,
      campaign: e.campaign ?? null,
      properties: e.properties ?? null,
    })),
  );
  // ORDER BY ord makes nextval('event_seq') follow the order of the batch: arrival order.
  const inserted = await rows<{ id: string; seq: string | number | bigint }>(
    tx,
    sql`INSERT INTO events (workspace_id, id, type, subject, occurred_at, purpose, field, source, channel, region, context,
          value_kind, value_amount, value_currency, score, request, campaign, properties)
        SELECT ${workspaceId}::bigint, r.id, r.type, r.subject, r.occurred_at, r.purpose, r.field, r.source, r.channel, r.region, r.context,
          r.value_kind, r.value_amount, r.value_currency, r.score, r.request, r.campaign, r.properties
        FROM ROWS FROM (jsonb_to_recordset(${payload}::jsonb) AS (id text, type text, subject text, occurred_at timestamptz,
          purpose text, field text, source text, channel text, region text, context text, value_kind text, value_amount numeric,
          value_currency text, score smallint, request text, campaign text, properties jsonb)) WITH ORDINALITY AS r(id, type, subject,
          occurred_at, purpose, field, source, channel, region, context, value_kind, value_amount, value_currency, score, request,
          campaign, properties, ord)
        ORDER BY r.ord
        ON CONFLICT (workspace_id, id) DO NOTHING
        RETURNING id, seq`,
  );
  const seqById = new Map(inserted.map((r) => [r.id, Number(r.seq)]));
  const stored: StoredEventRow[] = [];
  for (const e of batch) {
    const seq = seqById.get(e.id);
    if (seq !== undefined) stored.push({ ...e, seq });
  }
  return stored;
}

async function logRejections(
  tx: Db,
  workspaceId: number,
  rejections: Rejection[],
  via: IngestVia,
): Promise<void> {
  const payload = JSON.stringify(rejections.map((r) => ({ event_id: r.id, errors: r.errors })));
  await tx.execute(
    sql`INSERT INTO rejected_events (workspace_id, event_id, via, errors)
        SELECT ${workspaceId}::bigint, r.event_id, ${via}, r.errors
        FROM jsonb_array_elements(${payload}::jsonb) WITH ORDINALITY AS a(e, ord), LATERAL jsonb_to_record(a.e) AS r(event_id text, errors jsonb)
        ORDER BY a.ord`,
  );
}

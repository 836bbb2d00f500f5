import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { ingestEvents } from "@/lib/ingest";

export interface StoredConsentEvent {
  id: string;
  type: string;
  subject: string;
  purpose: string;
  occurred_at: string;
  source: string | null;
  region: string | null;
  channel: string | null;
  context: string | null;
}

/** The workspace's consent events of `subject` (or all subjects), in event order. */
export function consentEvents(db: Db, workspaceId: number, subject?: string): Promise<StoredConsentEvent[]> {
  return rows<StoredConsentEvent>(
    db,
    sql`SELECT id, type, subject, purpose, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS occurred_at,
          source, region, channel, context
        FROM events WHERE workspace_id = ${workspaceId} AND type LIKE 'consent.%' ${subject === undefined ? sql`` : sql`AND subject = ${subject}`}
        ORDER BY occurred_at, seq`,
  );
}

export async function eventCount(db: Db, workspaceId: number): Promise<number> {
  const [r] = await rows<{ n: string | number }>(
    db,
    sql`SELECT count(*) AS n FROM events WHERE workspace_id = ${workspaceId}`,
  );
  return Number(r?.n);
}

/** Consent answers stored as plain events (not signals), to give a subject a state to change. */
export async function giveConsent(
  db: Db,
  workspaceId: number,
  subject: string,
  at: string,
  answers: Record<string, "granted" | "denied" | "withdrawn">,
): Promise<void> {
  const events = Object.entries(answers).map(([purpose, state]) => ({
    id: `given-${subject}-${purpose}-${at}`.replace(/[^A-Za-z0-9._:-]/g, "_"),
    type: `consent.${state}`,
    subject,
    occurred_at: at,
    purpose,
    source: "preference_center",
  }));
  const summary = await ingestEvents(db, workspaceId, events, "api");
  if (summary.rejected.length) throw new Error(JSON.stringify(summary.rejected));
}

/** [purpose, type, source] of each event, the shape most assertions compare. */
export const changes = (events: readonly StoredConsentEvent[]) =>
  events.map((e) => [e.purpose, e.type, e.source]);

import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/db/client";
import { badRequest } from "@/lib/errors";
import { isoInstant } from "@/lib/metrics/buckets";
import { Instant } from "@/lib/metrics/params";
import { CONSENT_EVENTS, LISTED_EVENTS } from "@/lib/metrics/rules/event-types";
import { lockKey } from "@/lib/metrics/state";
import { recordAudit } from "@/lib/audit";
import { toCsv } from "@/lib/csv";
import { purposeExists } from "@/lib/workspaces";

export const SUPPRESSION_FORMATS = ["json", "csv", "ndjson"] as const;
export type SuppressionFormat = (typeof SUPPRESSION_FORMATS)[number];

/** Entries fetched from the database at a time: the memory a list of any size needs. */
export const PAGE_SIZE = 1000;

const CURSOR_RE = /^v1\.(\d{1,19})\.(\d{1,15})$/;

/** A sync cursor: every event that arrived up to `seq` and happened up to `at` is in the answer it came with. */
export interface Cursor {
  seq: bigint;
  at: Date;
}

export const encodeCursor = (c: Cursor): string => `v1.${c.seq}.${c.at.getTime()}`;

const CursorText = z.string().transform((v, ctx) => {
  const m = CURSOR_RE.exec(v);
  if (!m) {
    ctx.addIssue({
      code: "custom",
      message: `expected a cursor returned as next_cursor by an earlier read (v1.<n>.<n>), got '${v.slice(0, 40)}'`,
    });
    return z.NEVER;
  }
  return { seq: BigInt(m[1] as string), at: new Date(Number(m[2])) } satisfies Cursor;
});

/** The query of GET /api/v1/suppression and `tl suppression` (SPEC section 7). */
export const SuppressionQuery = z.object({
  purpose: z
    .string({ error: "required: the purpose whose suppression list to read" })
    .min(1, "required: the purpose whose suppression list to read")
    .max(64, "expected at most 64 characters"),
  at: Instant.optional(),
  format: z
    .enum(SUPPRESSION_FORMATS, { error: `expected ${SUPPRESSION_FORMATS.join(", ")}` })
    .default("json"),
  changed_since: CursorText.optional(),
});
export type SuppressionQuery = z.infer<typeof SuppressionQuery>;

export function parseSuppressionQuery(raw: Record<string, string | undefined>): SuppressionQuery {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = SuppressionQuery.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

export interface SuppressionEntry {
  subject: string;
  /** `denied` or `withdrawn`; `granted` in a changed_since answer for a subject who left the list. */
  state: string;
  since: string;
  source: string | null;
}

const sqlList = (values: readonly string[]): SQL =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
/** The consent event types, and those that list a subject, as SQL lists (`e.type IN …`); shared with the summary. */
export const CONSENT_TYPES = sqlList(CONSENT_EVENTS);
export const LISTED = sqlList(LISTED_EVENTS);

/** Each subject's latest consent event for the purpose among the events that arrived up to `seq` and happened up to `at`. */
function latestConsent(workspaceId: number, purpose: string, seq: bigint, at: Date, subjects?: SQL): SQL {
  return sql`SELECT DISTINCT ON (e.subject) e.subject, e.type, e.occurred_at, e.source FROM events e
    WHERE e.workspace_id = ${workspaceId} AND e.purpose = ${purpose} AND e.type IN ${CONSENT_TYPES} AND e.subject IS NOT NULL
      AND e.seq <= ${String(seq)}::bigint AND e.occurred_at <= ${at.toISOString()}::timestamptz${subjects ?? sql``}
    ORDER BY e.subject, e.occurred_at DESC, e.seq DESC`;
}

/** The list at `at` (SPEC 4, suppression list): subjects denied or withdrawn, in byte order. */
function fullList(workspaceId: number, purpose: string, cursor: Cursor): SQL {
  return sql`SELECT s.subject, s.type AS state, (extract(epoch FROM s.occurred_at) * 1000)::float8 AS since, s.source
    FROM (${latestConsent(workspaceId, purpose, cursor.seq, cursor.at)}) s
    WHERE s.type IN ${LISTED}
    ORDER BY s.subject COLLATE "C"`;
}

/**
 * The entries that changed between two cursors: subjects with a consent event for the purpose
 * that arrived after the old cursor or happened after its `at`, whose entry now differs from the
 * one the old cursor answered (into the list, out of it — then `granted` — or a new state,
 * since or source).
 */
function changes(workspaceId: number, purpose: string, since: Cursor, cursor: Cursor): SQL {
  const touched = sql` AND e.subject IN (SELECT DISTINCT c.subject FROM events c
      WHERE c.workspace_id = ${workspaceId} AND c.purpose = ${purpose} AND c.type IN ${CONSENT_TYPES} AND c.subject IS NOT NULL
        AND c.seq <= ${String(cursor.seq)}::bigint AND c.occurred_at <= ${cursor.at.toISOString()}::timestamptz
        AND (c.seq > ${String(since.seq)}::bigint OR c.occurred_at > ${since.at.toISOString()}::timestamptz))`;
  return sql`WITH now_ AS MATERIALIZED (${latestConsent(workspaceId, purpose, cursor.seq, cursor.at, touched)}),
      before_ AS MATERIALIZED (${latestConsent(workspaceId, purpose, since.seq, since.at, touched)})
    SELECT n.subject, CASE WHEN n.type IN ${LISTED} THEN n.type ELSE 'granted' END AS state,
      (extract(epoch FROM n.occurred_at) * 1000)::float8 AS since, n.source
    FROM now_ n LEFT JOIN before_ b ON b.subject = n.subject
    WHERE (n.type IN ${LISTED}) IS DISTINCT FROM coalesce(b.type IN ${LISTED}, false)
       OR (n.type IN ${LISTED} AND (n.type, n.occurred_at, n.source) IS DISTINCT FROM (b.type, b.occurred_at, b.source))
    ORDER BY n.subject COLLATE "C"`;
}

/**
 * A cursor all of whose events are committed: the rollup lock taken alone waits for the batches
 * in flight (each holds it shared from before its events get their numbers), so every event of
 * the workspace numbered up to the sequence's value is stored, and later ones are numbered above.
 */
async function safeCursor(db: Db, workspaceId: number, at: Date): Promise<Cursor> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${lockKey(workspaceId)})`);
    const [found] = await rows<{ seq: string | number | bigint }>(
      tx,
      sql`SELECT last_value AS seq FROM event_seq`,
    );
    return { seq: BigInt(found?.seq ?? 0), at };
  });
}

const CSV_HEADER = ["subject", "state", "since", "source"];
const CSV_HEADER_LINE = "subject,state,since,source\n";

interface Header {
  purpose: string;
  at: string;
  next_cursor: string;
}

/** Writes one format: a start, entries a page at a time, an end with the count. */
const WRITERS: Record<
  SuppressionFormat,
  {
    start(h: Header): string;
    page(entries: SuppressionEntry[], first: boolean): string;
    end(count: number): string;
  }
> = {
  json: {
    start: (h) =>
      `{"purpose":${JSON.stringify(h.purpose)},"at":${JSON.stringify(h.at)},"next_cursor":${JSON.stringify(h.next_cursor)},"subjects":[`,
    page: (entries, first) => (first ? "" : ",") + entries.map((e) => JSON.stringify(e)).join(","),
    end: (count) => `],"count":${count}}\n`,
  },
  ndjson: {
    start: () => "",
    page: (entries) => entries.map((e) => `${JSON.stringify(e)}\n`).join(""),
    end: () => "",
  },
  csv: {
    start: () => CSV_HEADER_LINE,
    // Exact values, not formula-escaped: the file is for a marketing tool to read back subject by subject.
    page: (entries) =>
      toCsv(
        CSV_HEADER,
        entries.map((e) => [e.subject, e.state, e.since, e.source]),
        { lineEnding: "\n" },
      ).slice(CSV_HEADER_LINE.length),
    end: () => "",
  },
};

export interface SuppressionRead {
  purpose: string;
  at: Date;
  nextCursor: string;
  format: SuppressionFormat;
}

/** The name a CSV download of the list is saved under: `suppression-<purpose>-<date of at, UTC>.csv`. */
export const suppressionFilename = (read: Pick<SuppressionRead, "purpose" | "at">): string =>
  `suppression-${read.purpose.replace(/[^A-Za-z0-9._-]/g, "_")}-${read.at.toISOString().slice(0, 10)}.csv`;

/**
 * Streams a suppression list (or its changes since a cursor) to `write`, a page at a time through a
 * database cursor, so memory stays flat whatever the list's size. Returns the number of entries.
 * `prepare` gives the read's cursor before the first byte (for headers and the audit log).
 */
export async function streamSuppression(
  db: Db,
  workspaceId: number,
  q: SuppressionQuery,
  write: (chunk: string) => Promise<void>,
  prepare: (read: SuppressionRead) => Promise<void> = async () => {},
  now = new Date(),
): Promise<number> {
  if (!(await purposeExists(db, workspaceId, q.purpose)))
    throw badRequest(`purpose: unknown purpose '${q.purpose}'`);
  const at = q.at ?? now;
  if (q.changed_since && at < q.changed_since.at)
    throw badRequest(
      `at: a sync reads at or after the instant of its cursor (${isoInstant(q.changed_since.at)})`,
    );
  const cursor = await safeCursor(db, workspaceId, at);
  const read = { purpose: q.purpose, at, nextCursor: encodeCursor(cursor), format: q.format };
  await prepare(read);
  const writer = WRITERS[q.format];
  await write(writer.start({ purpose: q.purpose, at: isoInstant(at), next_cursor: read.nextCursor }));
  const query = q.changed_since
    ? changes(workspaceId, q.purpose, q.changed_since, cursor)
    : fullList(workspaceId, q.purpose, cursor);
  let count = 0;
  await db.transaction(async (tx) => {
    await tx.execute(sql`DECLARE suppression_list NO SCROLL CURSOR FOR ${query}`);
    for (;;) {
      const page = await rows<{
        subject: string;
        state: string;
        since: number | string;
        source: string | null;
      }>(tx, sql.raw(`FETCH ${PAGE_SIZE} FROM suppression_list`));
      if (!page.length) break;
      const entries = page.map((r) => ({
        subject: r.subject,
        state: r.state.replace(/^consent\./, ""),
        since: isoInstant(new Date(Math.round(Number(r.since)))),
        source: r.source,
      }));
      await write(writer.page(entries, count === 0));
      count += entries.length;
      if (page.length < PAGE_SIZE) break;
    }
    await tx.execute(sql`CLOSE suppression_list`);
  });
  await write(writer.end(count));
  return count;
}

/** The whole list in memory (tests, small lists): the JSON answer parsed. */
export async function readSuppression(
  db: Db,
  workspaceId: number,
  q: SuppressionQuery,
  now?: Date,
): Promise<{
  purpose: string;
  at: string;
  count: number;
  next_cursor: string;
  subjects: SuppressionEntry[];
}> {
  let text = "";
  await streamSuppression(
    db,
    workspaceId,
    { ...q, format: "json" },
    async (chunk) => void (text += chunk),
    undefined,
    now,
  );
  return JSON.parse(text) as {
    purpose: string;
    at: string;
    count: number;
    next_cursor: string;
    subjects: SuppressionEntry[];
  };
}

/** Who reads a suppression list: the audit log's "who", and the workspace. */
export interface SuppressionReader {
  workspaceId: number;
  label: string;
  ip: string | null;
}

/**
 * A read of a list of subjects, with the audit entry written before the first byte (so a read
 * that breaks off is logged too): purpose, at, format, the cursor it started from and the one it returns.
 */
export function auditedRead(db: Db, reader: SuppressionReader, q: SuppressionQuery) {
  return async (read: SuppressionRead) =>
    recordAudit(db, {
      workspaceId: reader.workspaceId,
      actor: reader.label,
      action: "suppression.read",
      target: q.purpose,
      details: {
        at: isoInstant(read.at),
        format: read.format,
        changed_since: q.changed_since ? encodeCursor(q.changed_since) : null,
        next_cursor: read.nextCursor,
      },
      ip: reader.ip,
    });
}

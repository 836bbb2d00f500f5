import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { rows } from "@/db/client";
import { ingestEvents } from "@/lib/ingest";
import { fixtureEvents, fixtureJson } from "../helpers/fixtures";
import { freshWorkspace } from "../helpers/db";

const events = fixtureEvents("basic");
const distinctIds = new Set(events.map((e) => (e as { id: string }).id));

test("importing the basic fixture stores exactly its distinct ids and reports the rest as duplicates", async () => {
  const ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
  let accepted = 0;
  let duplicates = 0;
  for (let i = 0; i < events.length; i += 1000) {
    const s = await ingestEvents(ws.db, ws.id, events.slice(i, i + 1000), "import", i);
    expect(s.rejected).toEqual([]);
    accepted += s.accepted;
    duplicates += s.duplicates;
  }
  expect(accepted).toBe(distinctIds.size);
  expect(duplicates).toBe(events.length - distinctIds.size);
  const [stored] = await rows<{ n: string | number }>(
    ws.db,
    sql`SELECT count(*) AS n FROM events WHERE workspace_id = ${ws.id}`,
  );
  expect(Number(stored?.n)).toBe(distinctIds.size);

  const again = await ingestEvents(ws.db, ws.id, events.slice(0, 5000), "import");
  expect(again.accepted).toBe(0);
  expect(again.duplicates).toBe(5000);
  const [after] = await rows<{ n: string | number }>(
    ws.db,
    sql`SELECT count(*) AS n FROM events WHERE workspace_id = ${ws.id}`,
  );
  expect(Number(after?.n)).toBe(distinctIds.size);
});

test("the first of two events sharing an id in one batch is kept", async () => {
  const ws = await freshWorkspace();
  const base = {
    id: "dup-1",
    type: "consent.granted",
    subject: "cus_1",
    occurred_at: "2026-01-05T10:00:00Z",
    purpose: "ads",
  };
  const s = await ingestEvents(ws.db, ws.id, [base, { ...base, type: "consent.denied" }], "api");
  expect(s).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
  const stored = await rows<{ type: string }>(
    ws.db,
    sql`SELECT type FROM events WHERE workspace_id = ${ws.id} AND id = 'dup-1'`,
  );
  expect(stored).toEqual([{ type: "consent.granted" }]);
});

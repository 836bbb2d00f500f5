import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { rows } from "@/db/client";
import { importFile } from "@/scripts/cli/import";
import { freshWorkspace } from "../helpers/db";

function tempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-import-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test("a CSV file with SPEC column names is imported, value and score columns typed", async () => {
  const ws = await freshWorkspace();
  const file = tempFile(
    "events.csv",
    [
      "id,type,subject,occurred_at,purpose,field,value.kind,value.amount,value.currency,score,region",
      "c-1,consent.granted,cus_1,2026-02-01T10:00:00Z,ads,,,,,,DE",
      "c-2,value.delivered,cus_1,2026-02-02T10:00:00Z,ads,,discount,5.5,EUR,,",
      "c-3,trust.rated,cus_1,2026-02-03T10:00:00Z,,,,,,9,",
      "c-4,data.collected,a@b.co,2026-02-03T10:00:00Z,,email,,,,,",
      "c-1,consent.denied,cus_1,2026-02-04T10:00:00Z,ads,,,,,,",
    ].join("\n"),
  );
  const summary = await importFile(ws.db, ws.id, file);
  expect(summary).toEqual({
    accepted: 3,
    duplicates: 1,
    rejected: [
      {
        index: 3,
        id: "c-4",
        errors: ["subject: looks like an e-mail address; send a pseudonymous id instead"],
      },
    ],
    rejected_count: 1,
  });
  const stored = await rows<{
    id: string;
    value_amount: string;
    score: number | null;
    region: string | null;
  }>(
    ws.db,
    sql`SELECT id, value_amount::text AS value_amount, score, region FROM events WHERE workspace_id = ${ws.id} ORDER BY seq`,
  );
  expect(stored).toEqual([
    { id: "c-1", value_amount: null, score: null, region: "DE" },
    { id: "c-2", value_amount: "5.5", score: null, region: null },
    { id: "c-3", value_amount: null, score: 9, region: null },
  ]);
});

test("an NDJSON file keeps arrival order in seq and reports a line that is not JSON", async () => {
  const ws = await freshWorkspace();
  const lines = [
    JSON.stringify({
      id: "n-2",
      type: "consent.granted",
      subject: "cus_1",
      occurred_at: "2026-02-01T10:00:00Z",
      purpose: "ads",
    }),
    "{broken",
    JSON.stringify({
      id: "n-1",
      type: "consent.denied",
      subject: "cus_1",
      occurred_at: "2026-02-01T10:00:00Z",
      purpose: "ads",
    }),
  ];
  const summary = await importFile(ws.db, ws.id, tempFile("events.ndjson", lines.join("\n") + "\n"));
  expect(summary.accepted).toBe(2);
  expect(summary.rejected).toEqual([
    { index: 1, id: null, errors: ["line 2: not valid JSON; NDJSON needs one JSON object per line"] },
  ]);
  const order = await rows<{ id: string }>(
    ws.db,
    sql`SELECT id FROM events WHERE workspace_id = ${ws.id} ORDER BY seq`,
  );
  expect(order.map((r) => r.id)).toEqual(["n-2", "n-1"]);
});

test("importing a large file streams in chunks and stores every distinct event", async () => {
  const ws = await freshWorkspace();
  const lines: string[] = [];
  for (let i = 0; i < 12_000; i++) {
    lines.push(
      JSON.stringify({
        id: `big-${i % 11_000}`,
        type: "data.collected",
        subject: `cus_${i % 700}`,
        occurred_at: "2026-02-01T10:00:00Z",
        field: "email",
      }),
    );
  }
  const progress: string[] = [];
  const summary = await importFile(ws.db, ws.id, tempFile("big.ndjson", lines.join("\n")), undefined, (l) =>
    progress.push(l),
  );
  expect(summary).toMatchObject({ accepted: 11_000, duplicates: 1_000, rejected_count: 0 });
  const read = progress.filter((l) => l.includes("events read"));
  expect(read).toHaveLength(3);
  expect(read[2]).toContain("12000 events read: 11000 accepted, 1000 duplicates, 0 rejected");
  // Then the rollups count them before the import returns.
  expect(progress.at(-1)).toBe("metric rollups: 11000 events applied");
});

test("rejected events are kept with their reasons for the Events screen", async () => {
  const ws = await freshWorkspace();
  await importFile(
    ws.db,
    ws.id,
    tempFile(
      "bad.ndjson",
      JSON.stringify({
        id: "bad-1",
        type: "consent.granted",
        occurred_at: "2026-02-01T10:00:00Z",
        purpose: "ads",
      }) + "\n",
    ),
  );
  const logged = await rows<{ event_id: string; errors: string[]; via: string }>(
    ws.db,
    sql`SELECT event_id, errors, via FROM rejected_events WHERE workspace_id = ${ws.id}`,
  );
  expect(logged).toEqual([
    { event_id: "bad-1", errors: ["subject: required for consent.granted"], via: "import" },
  ]);
});

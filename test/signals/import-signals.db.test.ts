import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, test } from "vitest";
import { importSignalsFile } from "@/scripts/cli/import-signals";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { changes, consentEvents } from "./helpers";
import { GPP_USVA_OPTED_OUT, TC_PURPOSES_1_TO_10 } from "./published-strings";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await freshWorkspace();
});

function file(lines: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-signals-"));
  const name = path.join(dir, "signals.ndjson");
  fs.writeFileSync(name, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return name;
}

test("a TCF file imports each line as a TC string, in order, and summarises like the HTTP endpoint", async () => {
  const lines = [
    { subject: "imp_1", occurred_at: "2026-03-01T10:00:00Z", tc_string: TC_PURPOSES_1_TO_10 },
    "{not json",
    { subject: "imp_1", occurred_at: "2026-03-01T10:00:00Z", tc_string: TC_PURPOSES_1_TO_10 },
  ];
  const summary = await importSignalsFile(ws.db, ws.id, file(lines), "tcf");
  expect(summary).toMatchObject({
    accepted: 3,
    duplicates: 0,
    unchanged: 1,
    rejected_count: 1,
    rejected: [{ index: 1, errors: ["line 2: not valid JSON; NDJSON needs one JSON object per line"] }],
  });
  expect(summary.events).toHaveLength(3);
  const again = await importSignalsFile(ws.db, ws.id, file(lines), "tcf");
  expect(again).toMatchObject({ accepted: 0, unchanged: 2 });
});

test("--format signals takes each line's own kind, and later lines see the consent earlier ones stored", async () => {
  const lines = [
    { kind: "tcf", subject: "imp_2", occurred_at: "2026-03-01T10:00:00Z", tc_string: TC_PURPOSES_1_TO_10 },
    { kind: "gpp", subject: "imp_2", occurred_at: "2026-03-01T11:00:00Z", gpp_string: GPP_USVA_OPTED_OUT },
  ];
  await importSignalsFile(ws.db, ws.id, file(lines), "signals");
  expect(changes(await consentEvents(ws.db, ws.id, "imp_2"))).toEqual([
    ["ads", "consent.granted", "tcf"],
    ["analytics", "consent.granted", "tcf"],
    ["personalised-offers", "consent.granted", "tcf"],
    ["ads", "consent.withdrawn", "gpp"],
  ]);
});

test("an unknown format is a usage error", async () => {
  await expect(importSignalsFile(ws.db, ws.id, file([]), "usp")).rejects.toThrow(
    "--format: expected one of tcf, gpp, gpc, google_consent_mode, segment, signals, got 'usp'",
  );
});

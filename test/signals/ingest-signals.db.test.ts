import { beforeAll, expect, test } from "vitest";
import { ingestSignals } from "@/lib/signals/ingest";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { changes, consentEvents, giveConsent } from "./helpers";
import { TC_NO_CONSENT, TC_PURPOSES_1_TO_10 } from "./published-strings";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await freshWorkspace();
});

const at = (minute: number) => `2026-03-01T12:${String(minute).padStart(2, "0")}:00Z`;
const adsCm = (subject: string, minute: number, state: "granted" | "denied") => ({
  kind: "google_consent_mode",
  subject,
  occurred_at: at(minute),
  consent: { ad_storage: state },
});
const gpc = (subject: string, minute: number) => ({
  kind: "gpc",
  subject,
  occurred_at: at(minute),
  gpc: true,
});

test("a subject's signals in one batch apply in event order, whatever their order in the batch", async () => {
  await ingestSignals(ws.db, ws.id, [
    adsCm("ord_a", 2, "granted"),
    gpc("ord_a", 1),
    adsCm("ord_a", 0, "granted"),
  ]);
  expect(changes(await consentEvents(ws.db, ws.id, "ord_a"))).toEqual([
    ["ads", "consent.granted", "google_consent_mode"],
    ["ads", "consent.withdrawn", "gpc"],
    ["ads", "consent.granted", "google_consent_mode"],
  ]);
});

test("a signal is compared with the state at its own time, not with later events", async () => {
  await giveConsent(ws.db, ws.id, "late_a", at(10), { ads: "granted" });
  const summary = await ingestSignals(ws.db, ws.id, [adsCm("late_a", 5, "denied")]);
  expect(summary.accepted).toBe(1);
  expect((await consentEvents(ws.db, ws.id, "late_a")).map((e) => [e.type, e.occurred_at])).toEqual([
    ["consent.denied", "2026-03-01T12:05:00Z"],
    ["consent.granted", "2026-03-01T12:10:00Z"],
  ]);
});

test("an event that shares the signal's instant counts as before it, so a same-time restatement is no change", async () => {
  await giveConsent(ws.db, ws.id, "tie_a", at(3), { ads: "granted" });
  expect(await ingestSignals(ws.db, ws.id, [adsCm("tie_a", 3, "granted")])).toMatchObject({
    accepted: 0,
    unchanged: 1,
  });
});

test("many subjects in one batch each get their own state", async () => {
  const subjects = Array.from({ length: 300 }, (_, i) => `many_${i}`);
  await ingestSignals(
    ws.db,
    ws.id,
    subjects.filter((_, i) => i % 2 === 0).map((s) => adsCm(s, 0, "granted")),
  );
  const summary = await ingestSignals(
    ws.db,
    ws.id,
    subjects.map((s) => gpc(s, 1)),
  );
  expect(summary).toMatchObject({ accepted: 150, unchanged: 150, rejected: [] });
  expect(changes(await consentEvents(ws.db, ws.id, "many_2"))).toEqual([
    ["ads", "consent.granted", "google_consent_mode"],
    ["ads", "consent.withdrawn", "gpc"],
  ]);
  expect(await consentEvents(ws.db, ws.id, "many_1")).toEqual([]);
});

test("a batch of one kind fills in kind and rejects a signal of another kind", async () => {
  const summary = await ingestSignals(
    ws.db,
    ws.id,
    [
      { subject: "kind_a", occurred_at: at(0), tc_string: TC_NO_CONSENT },
      { kind: "gpp", subject: "kind_a", occurred_at: at(1), gpp_string: "DBAA" },
      { kind: "tcf", subject: "kind_a", occurred_at: at(2), tc_string: TC_PURPOSES_1_TO_10 },
    ],
    { kind: "tcf", indexOffset: 10 },
  );
  expect(summary.rejected).toEqual([
    { index: 11, errors: ['kind: expected tcf (the batch is of kind tcf), got "gpp"'] },
  ]);
  expect(summary.accepted).toBe(6);
});

test("a GPC batch needs no gpc flag on each signal", async () => {
  await giveConsent(ws.db, ws.id, "gpc_a", at(0), { "data-sharing": "granted" });
  const summary = await ingestSignals(ws.db, ws.id, [{ subject: "gpc_a", occurred_at: at(1) }], {
    kind: "gpc",
  });
  expect(summary).toMatchObject({ accepted: 1, rejected: [] });
});

import { test, expect } from "vitest";
import { decodeSignal, parseSignal } from "../../lib/signals/decode";
import { defaultSignalMapping } from "../../lib/signals/mapping";
import { consentTransition, signalToEvents, type ConsentState } from "../../lib/signals/to-events";
import { validateEvent } from "../../lib/events/contract";
import { TC_PURPOSES_3_TO_9 } from "./published-strings";

const tcfSignal = (occurred_at = "2026-03-01T12:00:00Z") =>
  parseSignal({
    kind: "tcf",
    subject: "cus_81",
    occurred_at,
    tc_string: TC_PURPOSES_3_TO_9,
    region: "DE",
    channel: "web",
    context: "banner",
  });
const state = (entries: Record<string, ConsentState>) => new Map(Object.entries(entries));

test.each([
  ["granted", "granted", null],
  ["granted", "denied", "consent.granted"],
  ["granted", "withdrawn", "consent.granted"],
  ["granted", "never_asked", "consent.granted"],
  ["denied", "granted", "consent.withdrawn"],
  ["denied", "never_asked", "consent.denied"],
  ["denied", "denied", null],
  ["denied", "withdrawn", null],
  ["withdrawn", "granted", "consent.withdrawn"],
  ["withdrawn", "denied", null],
  ["withdrawn", "withdrawn", null],
  ["withdrawn", "never_asked", null],
] as const)("desired %s with current %s becomes %s", (desired, current, expected) => {
  expect(consentTransition(desired, current)).toBe(expected);
});

test("a TC string for a subject never asked becomes one event per purpose, carrying region, channel, context and source", async () => {
  const signal = tcfSignal();
  const events = signalToEvents(signal, await decodeSignal(signal, defaultSignalMapping), new Map());
  expect(events.map((e) => [e.purpose, e.type])).toEqual([
    ["ads", "consent.denied"],
    ["analytics", "consent.granted"],
    ["personalised-offers", "consent.granted"],
  ]);
  for (const event of events) {
    expect(event).toMatchObject({
      subject: "cus_81",
      occurred_at: "2026-03-01T12:00:00.000Z",
      source: "tcf",
      region: "DE",
      channel: "web",
      context: "banner",
    });
    expect(event.id).toMatch(/^sig-[0-9a-f]{32}$/);
    expect(validateEvent(event)).toMatchObject({ ok: true });
  }
});

test("only changes become events: a yes taken back is a withdrawal, restated answers are nothing", async () => {
  const signal = tcfSignal();
  const events = signalToEvents(
    signal,
    await decodeSignal(signal, defaultSignalMapping),
    state({ ads: "granted", analytics: "granted", "personalised-offers": "denied" }),
  );
  expect(events.map((e) => [e.purpose, e.type])).toEqual([
    ["ads", "consent.withdrawn"],
    ["personalised-offers", "consent.granted"],
  ]);
});

test("a signal that changes nothing produces no event", async () => {
  const signal = tcfSignal();
  const current = state({ ads: "denied", analytics: "granted", "personalised-offers": "granted" });
  expect(signalToEvents(signal, await decodeSignal(signal, defaultSignalMapping), current)).toEqual([]);
});

test("replaying the same signal yields identical event ids, whichever way its time was written", async () => {
  const first = tcfSignal("2026-03-01T12:00:00Z");
  const replay = tcfSignal("2026-03-01T13:00:00.000+01:00");
  const ids = async (s: typeof first) =>
    signalToEvents(s, await decodeSignal(s, defaultSignalMapping), new Map()).map((e) => e.id);
  expect(await ids(replay)).toEqual(await ids(first));
  expect(new Set(await ids(first)).size).toBe(3);
});

test("event ids differ when the subject, time, resulting type or source differ", async () => {
  const gpc = parseSignal({ kind: "gpc", subject: "cus_81", occurred_at: "2026-03-01T12:00:00Z", gpc: true });
  const granted = state({ ads: "granted" });
  const [fromGpc] = signalToEvents(gpc, await decodeSignal(gpc, defaultSignalMapping), granted);
  const other = [
    signalToEvents({ ...gpc, subject: "cus_82" }, await decodeSignal(gpc, defaultSignalMapping), granted),
    signalToEvents(
      { ...gpc, occurred_at: "2026-03-01T12:00:01.000Z" },
      await decodeSignal(gpc, defaultSignalMapping),
      granted,
    ),
    signalToEvents(gpc, [{ purpose: "ads", state: "withdrawn", source: "gpp" }], granted),
  ].map(([e]) => e?.id);
  expect(fromGpc?.type).toBe("consent.withdrawn");
  expect(fromGpc?.source).toBe("gpc");
  for (const id of other) expect(id).not.toBe(fromGpc?.id);
  const denied = signalToEvents(tcfSignal(), [{ purpose: "ads", state: "denied", source: "tcf" }], new Map());
  const withdrawn = signalToEvents(
    tcfSignal(),
    [{ purpose: "ads", state: "denied", source: "tcf" }],
    granted,
  );
  expect(denied[0]?.id).not.toBe(withdrawn[0]?.id);
});

test("GPC from a subject who never said yes produces no event: there is nothing to withdraw", async () => {
  const gpc = parseSignal({ kind: "gpc", subject: "cus_81", occurred_at: "2026-03-01T12:00:00Z", gpc: true });
  expect(signalToEvents(gpc, await decodeSignal(gpc, defaultSignalMapping), new Map())).toEqual([]);
  const events = signalToEvents(
    gpc,
    await decodeSignal(gpc, defaultSignalMapping),
    state({ "data-sharing": "granted", ads: "denied" }),
  );
  expect(events.map((e) => [e.purpose, e.type, e.source])).toEqual([
    ["data-sharing", "consent.withdrawn", "gpc"],
  ]);
});

test("a Segment signal has no journey step, so its events carry none", async () => {
  const signal = parseSignal({
    userId: "u_1",
    timestamp: "2026-03-01T12:00:00Z",
    context: { consent: { categoryPreferences: { Analytics: true } }, page: { path: "/" } },
  });
  const [event] = signalToEvents(signal, await decodeSignal(signal, defaultSignalMapping), new Map());
  expect(event).toEqual({
    id: expect.stringMatching(/^sig-/),
    type: "consent.granted",
    subject: "u_1",
    occurred_at: "2026-03-01T12:00:00.000Z",
    purpose: "analytics",
    source: "segment",
  });
});

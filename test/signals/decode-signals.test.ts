import { test, expect } from "vitest";
import { decodeSignal, parseSignal, SignalError, type DesiredConsent } from "../../lib/signals/decode";
import { SignalMapping, defaultSignalMapping } from "../../lib/signals/mapping";

const base = { subject: "cus_81", occurred_at: "2026-03-01T12:00:00Z" };
const d = (
  purpose: string,
  state: DesiredConsent["state"],
  source: DesiredConsent["source"],
): DesiredConsent => ({ purpose, state, source });

test("GPC withdraws exactly the purposes the workspace marks as sale, sharing or targeted advertising", async () => {
  const signal = parseSignal({ kind: "gpc", ...base, gpc: true });
  expect(await decodeSignal(signal, defaultSignalMapping)).toEqual([
    d("ads", "withdrawn", "gpc"),
    d("data-sharing", "withdrawn", "gpc"),
  ]);
  const custom = SignalMapping.parse({ gpc: ["partner-sharing"] });
  expect(await decodeSignal(signal, custom)).toEqual([d("partner-sharing", "withdrawn", "gpc")]);
  expect(await decodeSignal(signal, SignalMapping.parse({ gpc: [] }))).toEqual([]);
});

test("a browser without GPC says nothing", async () => {
  expect(await decodeSignal(parseSignal({ kind: "gpc", ...base, gpc: false }), defaultSignalMapping)).toEqual(
    [],
  );
});

test.each([
  {
    name: "everything granted",
    consent: {
      ad_storage: "granted",
      ad_user_data: "granted",
      ad_personalization: "granted",
      analytics_storage: "granted",
      personalization_storage: "granted",
    },
    expected: [
      d("ads", "granted", "google_consent_mode"),
      d("analytics", "granted", "google_consent_mode"),
      d("personalised-offers", "granted", "google_consent_mode"),
    ],
  },
  {
    name: "ads needs every ad type that is present to be granted",
    consent: { ad_storage: "granted", ad_user_data: "denied", analytics_storage: "granted" },
    expected: [d("ads", "denied", "google_consent_mode"), d("analytics", "granted", "google_consent_mode")],
  },
  {
    name: "types that are absent say nothing",
    consent: { ad_storage: "granted" },
    expected: [d("ads", "granted", "google_consent_mode")],
  },
  {
    name: "functionality and security storage map to nothing",
    consent: { functionality_storage: "denied", security_storage: "granted" },
    expected: [],
  },
  {
    name: "everything denied",
    consent: { ad_storage: "denied", analytics_storage: "denied", personalization_storage: "denied" },
    expected: [
      d("ads", "denied", "google_consent_mode"),
      d("analytics", "denied", "google_consent_mode"),
      d("personalised-offers", "denied", "google_consent_mode"),
    ],
  },
])("Google Consent Mode maps to purposes ($name)", async ({ consent, expected }) => {
  expect(
    await decodeSignal(parseSignal({ kind: "google_consent_mode", ...base, consent }), defaultSignalMapping),
  ).toEqual(expected);
});

// A Segment "Segment Consent Preference Updated" track event as Segment sends it.
const segmentPayload = {
  type: "track",
  event: "Segment Consent Preference Updated",
  messageId: "ajs-next-1",
  userId: "u_123",
  anonymousId: "anon-42",
  timestamp: "2026-03-01T12:00:00.000Z",
  properties: {},
  context: {
    consent: {
      categoryPreferences: {
        Advertising: false,
        Analytics: true,
        Personalization: true,
        "Data Sharing": false,
        Functional: true,
        C0005: true,
      },
    },
    library: { name: "analytics.js", version: "next-1.64.0" },
  },
};

test("Segment's own consent payload is accepted as is: userId becomes the subject and timestamp the time", async () => {
  const signal = parseSignal(segmentPayload);
  expect(signal).toMatchObject({
    kind: "segment",
    subject: "u_123",
    occurred_at: "2026-03-01T12:00:00.000Z",
  });
  expect(await decodeSignal(signal, defaultSignalMapping)).toEqual([
    d("ads", "denied", "segment"),
    d("analytics", "granted", "segment"),
    d("data-sharing", "denied", "segment"),
    d("order-updates", "granted", "segment"),
    d("personalised-offers", "granted", "segment"),
  ]);
});

test("a Segment payload falls back to anonymousId and can carry Trustledger's own subject and occurred_at", async () => {
  expect(parseSignal({ ...segmentPayload, userId: undefined })).toMatchObject({ subject: "anon-42" });
  expect(parseSignal({ ...segmentPayload, userId: null })).toMatchObject({ subject: "anon-42" });
  const own = parseSignal({
    kind: "segment",
    subject: "cus_9",
    occurred_at: "2026-03-02T00:00:00+01:00",
    region: "DE",
    context: segmentPayload.context,
  });
  expect(own).toMatchObject({ subject: "cus_9", occurred_at: "2026-03-01T23:00:00.000Z", region: "DE" });
});

test.each([
  {
    name: "case and spacing of category names do not matter",
    prefs: { advertising: true, DATA_SHARING: true },
    expected: [d("ads", "granted", "segment"), d("data-sharing", "granted", "segment")],
  },
  {
    name: "a purpose from several categories needs them all",
    prefs: { Advertising: true, Marketing: false },
    expected: [d("ads", "denied", "segment")],
  },
  { name: "unmapped categories say nothing", prefs: { C0005: false }, expected: [] },
])(
  "Segment categories map to purposes through the workspace mapping ($name)",
  async ({ prefs, expected }) => {
    const mapping = SignalMapping.parse({
      segment: { Advertising: ["ads"], Marketing: ["ads"], DataSharing: ["data-sharing"] },
    });
    const signal = parseSignal({
      ...base,
      kind: "segment",
      context: { consent: { categoryPreferences: prefs } },
    });
    expect(await decodeSignal(signal, mapping)).toEqual(expected);
  },
);

test.each([
  { name: "not an object", input: "tcf", message: "signal: expected a JSON object" },
  {
    name: "unknown kind",
    input: { kind: "iab", ...base },
    message: "kind: expected one of tcf, gpp, gpc, google_consent_mode, segment",
  },
  {
    name: "no kind and no Segment consent",
    input: { ...base, tc_string: "C" },
    message: "kind: expected one of",
  },
  {
    name: "e-mail as subject",
    input: { kind: "gpc", ...base, subject: "ann@example.com", gpc: true },
    message: "subject: looks like an e-mail address",
  },
  {
    name: "phone number as subject",
    input: { kind: "gpc", ...base, subject: "+49 170 1234567", gpc: true },
    message: "subject: looks like a phone number",
  },
  {
    name: "timestamp without offset",
    input: { kind: "gpc", ...base, occurred_at: "2026-03-01T12:00:00", gpc: true },
    message: "occurred_at: expected an ISO-8601 timestamp with offset",
  },
  {
    name: "impossible date",
    input: { kind: "gpc", ...base, occurred_at: "2026-13-40T12:00:00Z", gpc: true },
    message: "occurred_at: not a valid date",
  },
  {
    name: "gpc not a boolean",
    input: { kind: "gpc", ...base, gpc: "1" },
    message: "gpc: expected true or false",
  },
  { name: "gpc missing", input: { kind: "gpc", ...base }, message: "gpc: required" },
  {
    name: "unknown field",
    input: { kind: "gpc", ...base, gpc: true, dnt: true },
    message: "unknown field dnt",
  },
  {
    name: "bad region",
    input: { kind: "gpc", ...base, gpc: true, region: "California" },
    message: "region: expected an ISO 3166 code",
  },
  {
    name: "unknown Consent Mode type",
    input: { kind: "google_consent_mode", ...base, consent: { ads_storage: "granted" } },
    message: "consent: unknown field ads_storage",
  },
  {
    name: "bad Consent Mode value",
    input: { kind: "google_consent_mode", ...base, consent: { ad_storage: true } },
    message: 'consent.ad_storage: expected "granted" or "denied"',
  },
  {
    name: "empty Consent Mode",
    input: { kind: "google_consent_mode", ...base, consent: {} },
    message: "consent: expected at least one of ad_storage",
  },
  {
    name: "Segment without a subject",
    input: { ...segmentPayload, userId: null, anonymousId: null },
    message: "subject: required (or Segment's userId or anonymousId)",
  },
  {
    name: "Segment without a time",
    input: { ...segmentPayload, timestamp: undefined },
    message: "occurred_at: required (or Segment's timestamp)",
  },
  {
    name: "another Segment event",
    input: { ...segmentPayload, event: "Order Completed" },
    message: 'event: expected "Segment Consent Preference Updated"',
  },
  {
    name: "Segment preference not a boolean",
    input: { ...segmentPayload, context: { consent: { categoryPreferences: { Advertising: "yes" } } } },
    message: "context.consent.categoryPreferences.Advertising: expected true or false",
  },
])(
  "an invalid signal is rejected with a SignalError naming the field ($name)",
  async ({ input, message }) => {
    expect(() => parseSignal(input)).toThrow(SignalError);
    expect(() => parseSignal(input)).toThrow(message);
  },
);

test("every problem of a signal is reported, not only the first", async () => {
  try {
    parseSignal({ kind: "gpc", subject: "", occurred_at: "soon", gpc: 1 });
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(SignalError);
    expect((e as SignalError).issues).toHaveLength(3);
  }
});

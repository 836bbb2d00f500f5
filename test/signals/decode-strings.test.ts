import { test, expect } from "vitest";
import { GppModel } from "@iabgpp/cmpapi";
import { decodeSignal, parseSignal, SignalError, type DesiredConsent } from "../../lib/signals/decode";
import { SignalMapping, defaultSignalMapping } from "../../lib/signals/mapping";
import {
  TC_PURPOSES_3_TO_9,
  TC_PURPOSES_1_TO_10,
  TC_NO_CONSENT,
  TC_VERSION_1,
  TC_BAD_BITFIELD,
  GPP_TCFEU_ONLY,
  GPP_TCFEU_AND_USP,
  GPP_USP_NOT_OPTED_OUT,
  GPP_USP_OPTED_OUT,
  GPP_ALL_DEFAULTS,
  GPP_USNAT_ALL_OPTED_OUT,
  GPP_USNAT_NONE_OPTED_OUT,
  GPP_USCA_OPTED_OUT,
  GPP_USVA_OPTED_OUT,
} from "./published-strings";

const base = { subject: "cus_81", occurred_at: "2026-03-01T12:00:00Z" };
const tcf = (tc_string: string) => parseSignal({ kind: "tcf", ...base, tc_string });
const gpp = (gpp_string: string) => parseSignal({ kind: "gpp", ...base, gpp_string });

const granted = (purpose: string, source: DesiredConsent["source"]): DesiredConsent => ({
  purpose,
  state: "granted",
  source,
});
const denied = (purpose: string, source: DesiredConsent["source"]): DesiredConsent => ({
  purpose,
  state: "denied",
  source,
});
const withdrawn = (purpose: string, source: DesiredConsent["source"]): DesiredConsent => ({
  purpose,
  state: "withdrawn",
  source,
});

test.each([
  {
    name: "purposes 3-9: ads needs purpose 2 too, so it is denied; content and measurement are granted",
    tc: TC_PURPOSES_3_TO_9,
    expected: [denied("ads", "tcf"), granted("analytics", "tcf"), granted("personalised-offers", "tcf")],
  },
  {
    name: "purposes 1-10: every mapped purpose is granted",
    tc: TC_PURPOSES_1_TO_10,
    expected: [granted("ads", "tcf"), granted("analytics", "tcf"), granted("personalised-offers", "tcf")],
  },
  {
    name: "no consents: every mapped purpose is denied",
    tc: TC_NO_CONSENT,
    expected: [denied("ads", "tcf"), denied("analytics", "tcf"), denied("personalised-offers", "tcf")],
  },
])("a published TC string decodes with the default mapping ($name)", async ({ tc, expected }) => {
  expect(await decodeSignal(tcf(tc), defaultSignalMapping)).toEqual(expected);
});

test("a Trustledger purpose mapped from TCF purposes and special features is granted only when all of them are", async () => {
  const mapping = SignalMapping.parse({
    tcf: {
      purposes: { "3": ["geo-offers"], "4": ["geo-offers"], "2": ["basic-ads"], "10": ["product-research"] },
      special_features: { "1": ["geo-offers"], "2": ["device-scan"] },
    },
  });
  expect(await decodeSignal(tcf(TC_PURPOSES_3_TO_9), mapping)).toEqual([
    denied("basic-ads", "tcf"),
    denied("device-scan", "tcf"),
    granted("geo-offers", "tcf"),
    denied("product-research", "tcf"),
  ]);
  expect(await decodeSignal(tcf(TC_PURPOSES_1_TO_10), mapping)).toEqual([
    granted("basic-ads", "tcf"),
    granted("device-scan", "tcf"),
    granted("geo-offers", "tcf"),
    granted("product-research", "tcf"),
  ]);
});

test.each([
  { name: "not base64url", tc: "not a TC string!", reason: /Base64URL/ },
  { name: "a GPP string", tc: GPP_TCFEU_ONLY, reason: /Base64URL/ },
  { name: "truncated", tc: TC_NO_CONSENT.slice(0, 30), reason: /\(.+\)/ },
  { name: "a bitfield that does not match its length", tc: TC_BAD_BITFIELD, reason: /bitfield/ },
  { name: "unparseable bits", tc: "garbage", reason: /does not decode|segments/ },
  { name: "TCF v1", tc: TC_VERSION_1, reason: /version 1 strings are not supported/ },
])("a malformed TC string is rejected with a message naming tc_string ($name)", async ({ tc, reason }) => {
  const signal = tcf(tc);
  await expect(decodeSignal(signal, defaultSignalMapping)).rejects.toThrow(SignalError);
  await expect(decodeSignal(signal, defaultSignalMapping)).rejects.toThrow(
    /^tc_string: not a valid TCF v2 TC string \(/,
  );
  await expect(decodeSignal(signal, defaultSignalMapping)).rejects.toThrow(reason);
});

test.each([
  {
    name: "tcfeuv2 only, no consents",
    gpp: GPP_TCFEU_ONLY,
    expected: [denied("ads", "gpp"), denied("analytics", "gpp"), denied("personalised-offers", "gpp")],
  },
  {
    name: "tcfeuv2 and uspv1 without a sale opt-out",
    gpp: GPP_TCFEU_AND_USP,
    expected: [denied("ads", "gpp"), denied("analytics", "gpp"), denied("personalised-offers", "gpp")],
  },
  { name: "uspv1 without a sale opt-out says nothing", gpp: GPP_USP_NOT_OPTED_OUT, expected: [] },
  { name: "uspv1 sale opt-out", gpp: GPP_USP_OPTED_OUT, expected: [withdrawn("data-sharing", "gpp")] },
  {
    name: "all sections at default: US 'not applicable' says nothing, tcfeuv2 denies",
    gpp: GPP_ALL_DEFAULTS,
    expected: [denied("ads", "gpp"), denied("analytics", "gpp"), denied("personalised-offers", "gpp")],
  },
  {
    name: "usnat everything opted out",
    gpp: GPP_USNAT_ALL_OPTED_OUT,
    expected: [withdrawn("ads", "gpp"), withdrawn("data-sharing", "gpp")],
  },
  { name: "usnat nothing opted out says nothing", gpp: GPP_USNAT_NONE_OPTED_OUT, expected: [] },
  {
    name: "usca sale and sharing opted out",
    gpp: GPP_USCA_OPTED_OUT,
    expected: [withdrawn("ads", "gpp"), withdrawn("data-sharing", "gpp")],
  },
  {
    name: "usva sale and targeted advertising opted out",
    gpp: GPP_USVA_OPTED_OUT,
    expected: [withdrawn("ads", "gpp"), withdrawn("data-sharing", "gpp")],
  },
  { name: "a header without sections", gpp: "DBAA", expected: [] },
])(
  "a published GPP string decodes with the default mapping ($name)",
  async ({ gpp: gppString, expected }) => {
    expect(await decodeSignal(gpp(gppString), defaultSignalMapping)).toEqual(expected);
  },
);

// One purpose per opt-out kind, so each assertion shows exactly which field of which section fired.
const perOptOut = SignalMapping.parse({
  gpp: { sale: ["sale"], sharing: ["sharing"], targeted_advertising: ["targeted-ads"] },
  gpc: ["gpc-marked"],
});

test.each([
  {
    name: "usnat: all three opt-outs and its GPC flag",
    gpp: GPP_USNAT_ALL_OPTED_OUT,
    expected: [
      withdrawn("gpc-marked", "gpc"),
      withdrawn("sale", "gpp"),
      withdrawn("sharing", "gpp"),
      withdrawn("targeted-ads", "gpp"),
    ],
  },
  {
    name: "usca: sale, sharing and its GPC flag (California has no targeted advertising field)",
    gpp: GPP_USCA_OPTED_OUT,
    expected: [withdrawn("gpc-marked", "gpc"), withdrawn("sale", "gpp"), withdrawn("sharing", "gpp")],
  },
  {
    name: "usva: sale and targeted advertising",
    gpp: GPP_USVA_OPTED_OUT,
    expected: [withdrawn("sale", "gpp"), withdrawn("targeted-ads", "gpp")],
  },
  { name: "uspv1: sale", gpp: GPP_USP_OPTED_OUT, expected: [withdrawn("sale", "gpp")] },
])(
  "each GPP US opt-out withdraws the purposes mapped to it and nothing else ($name)",
  async ({ gpp: gppString, expected }) => {
    expect(await decodeSignal(gpp(gppString), perOptOut)).toEqual(expected);
  },
);

test("a usnat section with only the sale opt-out set, encoded by the GPP library, withdraws only the sale purposes", async () => {
  const model = new GppModel();
  model.setFieldValue("usnat", "SaleOptOutNotice", 1);
  model.setFieldValue("usnat", "SaleOptOut", 1);
  model.setFieldValue("usnat", "SharingOptOut", 2);
  model.setFieldValue("usnat", "TargetedAdvertisingOptOut", 2);
  model.setFieldValue("usnat", "MspaCoveredTransaction", 2);
  const encoded = model.encode();
  expect(encoded).toMatch(/^DBABLA~/);
  expect(await decodeSignal(gpp(encoded), perOptOut)).toEqual([withdrawn("sale", "gpp")]);
  expect(await decodeSignal(gpp(encoded), defaultSignalMapping)).toEqual([withdrawn("data-sharing", "gpp")]);
});

test("when GPP sections disagree about a purpose, the most restrictive answer wins", async () => {
  const model = new GppModel(GPP_TCFEU_ONLY);
  // TCF 2.2 only allows service-specific strings; the library refuses to re-encode the published one without this.
  model.setFieldValue("tcfeuv2", "IsServiceSpecific", true);
  model.setFieldValue(
    "tcfeuv2",
    "PurposeConsents",
    Array.from({ length: 24 }, () => true),
  );
  model.setFieldValue("usnat", "TargetedAdvertisingOptOutNotice", 1);
  model.setFieldValue("usnat", "TargetedAdvertisingOptOut", 1);
  model.setFieldValue("usnat", "MspaCoveredTransaction", 2);
  expect(await decodeSignal(gpp(model.encode()), defaultSignalMapping)).toEqual([
    withdrawn("ads", "gpp"),
    granted("analytics", "gpp"),
    granted("personalised-offers", "gpp"),
  ]);
});

test.each([
  {
    name: "not a GPP string",
    gpp: "garbage",
    message: /^gpp_string: not a valid GPP string \(Unable to decode 'garbage'\)$/,
  },
  {
    name: "fewer sections than the header lists",
    gpp: "DBABLA",
    message: /^gpp_string: not a valid GPP string \(.*number of sections/,
  },
  {
    name: "a damaged usnat section",
    gpp: "DBABLA~z",
    message: /^gpp_string: not a valid GPP string \(section usnat: /,
  },
  { name: "a damaged header", gpp: "DBxx~abc", message: /^gpp_string: not a valid GPP string \(.*Header/ },
])(
  "a malformed GPP string is rejected with a message naming gpp_string ($name)",
  async ({ gpp: gppString, message }) => {
    const signal = gpp(gppString);
    await expect(decodeSignal(signal, defaultSignalMapping)).rejects.toThrow(SignalError);
    await expect(decodeSignal(signal, defaultSignalMapping)).rejects.toThrow(message);
  },
);

test("an empty TC or GPP string is rejected when the signal is parsed", async () => {
  expect(() => parseSignal({ kind: "tcf", ...base, tc_string: " " })).toThrow(
    "tc_string: expected a TCF v2 TC string, got an empty string",
  );
  expect(() => parseSignal({ kind: "gpp", ...base, gpp_string: "" })).toThrow(
    "gpp_string: expected a GPP string, got an empty string",
  );
});

import { test, expect } from "vitest";
import { SignalMapping, defaultSignalMapping } from "../../lib/signals/mapping";

test("the default mapping is what an empty workspace mapping parses to", () => {
  expect(SignalMapping.parse({})).toEqual(defaultSignalMapping);
  expect(defaultSignalMapping.tcf.purposes).toEqual({
    "1": [],
    "2": ["ads"],
    "3": ["ads"],
    "4": ["ads"],
    "5": ["personalised-offers"],
    "6": ["personalised-offers"],
    "7": ["analytics"],
    "8": ["analytics"],
    "9": ["analytics"],
    "10": [],
    "11": [],
  });
  expect(defaultSignalMapping.tcf.special_features).toEqual({ "1": [], "2": [] });
  expect(defaultSignalMapping.gpp).toEqual({
    sale: ["data-sharing"],
    sharing: ["data-sharing", "ads"],
    targeted_advertising: ["ads"],
  });
  expect(defaultSignalMapping.gpc).toEqual(["ads", "data-sharing"]);
  expect(defaultSignalMapping.google_consent_mode).toMatchObject({
    ad_storage: ["ads"],
    ad_user_data: ["ads"],
    ad_personalization: ["ads"],
    analytics_storage: ["analytics"],
    personalization_storage: ["personalised-offers"],
  });
  expect(defaultSignalMapping.segment).toMatchObject({
    Advertising: ["ads"],
    Functional: ["order-updates"],
    "Data Sharing": ["data-sharing"],
  });
});

test("the shared default mapping cannot be edited in place", () => {
  expect(() => defaultSignalMapping.gpc.push("analytics")).toThrow();
  expect(() => {
    defaultSignalMapping.tcf.purposes["1"] = ["analytics"];
  }).toThrow();
  expect(SignalMapping.parse({}).gpc).toEqual(["ads", "data-sharing"]);
});

test("a part of the mapping that is given replaces that part's defaults; the parts left out keep theirs", () => {
  const mapping = SignalMapping.parse({
    tcf: { purposes: { "1": ["analytics"] } },
    google_consent_mode: { ad_storage: ["ads"] },
  });
  expect(mapping.tcf.purposes["1"]).toEqual(["analytics"]);
  expect(mapping.tcf.purposes["2"]).toEqual([]);
  expect(mapping.tcf.special_features).toEqual(defaultSignalMapping.tcf.special_features);
  expect(mapping.google_consent_mode.analytics_storage).toEqual([]);
  expect(mapping.gpp).toEqual(defaultSignalMapping.gpp);
  expect(mapping.segment).toEqual(defaultSignalMapping.segment);
});

test.each([
  { name: "a TCF purpose id that does not exist", input: { tcf: { purposes: { "12": ["ads"] } } } },
  { name: "a purpose key with capitals", input: { gpc: ["Ads"] } },
  { name: "an unknown Consent Mode type", input: { google_consent_mode: { ads_storage: ["ads"] } } },
  { name: "an unknown GPP opt-out", input: { gpp: { sell: ["ads"] } } },
  { name: "an unknown part", input: { usp: {} } },
  { name: "purposes not a list", input: { segment: { Advertising: "ads" } } },
])("an invalid mapping is rejected ($name)", ({ input }) => {
  expect(SignalMapping.safeParse(input).success).toBe(false);
});

import { z } from "zod";
import { KEY_RE } from "../events/contract";

/**
 * How a workspace translates the consent signals it already emits into its own purposes.
 *
 * Each part left out (`tcf.purposes`, `tcf.special_features`, `gpp`, `gpc`,
 * `google_consent_mode`, `segment`) gets the defaults below. A part that is given replaces
 * that part's defaults entirely: an id, consent type or category it does not list maps to nothing.
 *
 * Defaults (purpose keys of SPEC section 2):
 *
 * | signal | value | purposes |
 * |---|---|---|
 * | TCF purpose 1 | store and/or access information on a device | none: a precondition of the others, not a use of data |
 * | TCF purposes 2, 3, 4 | limited data / profiles / personalised data to select advertising | `ads` |
 * | TCF purposes 5, 6 | profiles / personalised data to select content | `personalised-offers` |
 * | TCF purposes 7, 8, 9 | measure advertising and content performance, audience research | `analytics` |
 * | TCF purposes 10, 11 | develop services, limited data to select content | none: not a consent a customer can be asked about here |
 * | TCF special features 1, 2 | precise geolocation, device scanning | none |
 * | GPP sale opt-out | | `data-sharing` |
 * | GPP sharing opt-out | sharing for cross-context behavioural advertising | `data-sharing`, `ads` |
 * | GPP targeted advertising opt-out | | `ads` |
 * | GPC | a do-not-sell/share request | `ads`, `data-sharing` |
 * | Consent Mode `ad_storage`, `ad_user_data`, `ad_personalization` | | `ads` |
 * | Consent Mode `analytics_storage` | | `analytics` |
 * | Consent Mode `personalization_storage` | | `personalised-offers` |
 * | Consent Mode `functionality_storage`, `security_storage` | needed to run the site | none |
 * | Segment `Advertising` / `Analytics` / `Personalization` | | `ads` / `analytics` / `personalised-offers` |
 * | Segment `DataSharing`, `Data Sharing` | | `data-sharing` |
 * | Segment `Functional` | | `order-updates` |
 *
 * A purpose mapped from several TCF purposes, Consent Mode types or Segment categories is
 * granted only when all of them are.
 */
const PurposeKeys = z
  .array(
    z
      .string()
      .regex(
        KEY_RE,
        "expected a purpose key of lowercase letters, digits, '.', '_' or '-' (1-64 characters)",
      ),
  )
  .max(32, "expected at most 32 purpose keys");
const keys = () => PurposeKeys.default(() => []);

export const TCF_PURPOSE_IDS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"] as const;
export const TCF_SPECIAL_FEATURE_IDS = ["1", "2"] as const;
export const CONSENT_MODE_TYPES = [
  "ad_storage",
  "analytics_storage",
  "ad_user_data",
  "ad_personalization",
  "functionality_storage",
  "personalization_storage",
  "security_storage",
] as const;
export type ConsentModeType = (typeof CONSENT_MODE_TYPES)[number];

const TcfMapping = z.strictObject({
  purposes: z
    .strictObject({
      "1": keys(),
      "2": keys(),
      "3": keys(),
      "4": keys(),
      "5": keys(),
      "6": keys(),
      "7": keys(),
      "8": keys(),
      "9": keys(),
      "10": keys(),
      "11": keys(),
    })
    .default(() => defaultTcf().purposes),
  special_features: z.strictObject({ "1": keys(), "2": keys() }).default(() => defaultTcf().special_features),
});

const GppMapping = z.strictObject({
  sale: keys(),
  sharing: keys(),
  targeted_advertising: keys(),
});

const ConsentModeMapping = z.strictObject({
  ad_storage: keys(),
  analytics_storage: keys(),
  ad_user_data: keys(),
  ad_personalization: keys(),
  functionality_storage: keys(),
  personalization_storage: keys(),
  security_storage: keys(),
});

const SegmentMapping = z.record(z.string().min(1, "expected a Segment category name").max(128), PurposeKeys);

export const SignalMapping = z.strictObject({
  tcf: TcfMapping.default(defaultTcf),
  gpp: GppMapping.default(() => ({
    sale: ["data-sharing"],
    sharing: ["data-sharing", "ads"],
    targeted_advertising: ["ads"],
  })),
  gpc: PurposeKeys.default(() => ["ads", "data-sharing"]),
  google_consent_mode: ConsentModeMapping.default(() => ({
    ad_storage: ["ads"],
    analytics_storage: ["analytics"],
    ad_user_data: ["ads"],
    ad_personalization: ["ads"],
    functionality_storage: [],
    personalization_storage: ["personalised-offers"],
    security_storage: [],
  })),
  segment: SegmentMapping.default(() => ({
    Advertising: ["ads"],
    Analytics: ["analytics"],
    Personalization: ["personalised-offers"],
    DataSharing: ["data-sharing"],
    "Data Sharing": ["data-sharing"],
    Functional: ["order-updates"],
  })),
});
export type SignalMapping = z.infer<typeof SignalMapping>;

function defaultTcf() {
  return {
    purposes: {
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
    },
    special_features: { "1": [], "2": [] },
  };
}

export const defaultSignalMapping: SignalMapping = deepFreeze(SignalMapping.parse({}));

// Shared by every workspace without a mapping of its own, so nobody may edit it in place.
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

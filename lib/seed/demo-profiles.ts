import { between, type Random, type Weighted } from "./random";
import type { SeedValue } from "./seed-event";

export type PurposeKey =
  "order-updates" | "personalised-offers" | "ads" | "analytics" | "data-sharing" | "partner-research";
export type FieldKey = "email" | "birthday" | "mobile-number" | "location" | "purchase-history" | "device-id";
export type Region = "DE" | "FR" | "NL" | "ES" | "IT" | "GB" | "US-CA" | "US-NY";
export type Channel = "web" | "app" | "email" | "store" | "call_center";
export type AskContext = "signup" | "checkout" | "banner" | "preference_center";

export const CURRENCY = "EUR";

export const REGIONS: Weighted<Region> = [
  ["DE", 22],
  ["FR", 15],
  ["NL", 8],
  ["ES", 10],
  ["IT", 10],
  ["GB", 12],
  ["US-CA", 12],
  ["US-NY", 11],
];

export const CHANNELS: Weighted<Channel> = [
  ["web", 40],
  ["app", 30],
  ["store", 15],
  ["email", 5],
  ["call_center", 10],
];

export interface PurposeProfile {
  key: PurposeKey;
  /** Share of customers who are ever asked; the undeclared purpose is asked of a minority. */
  askedShare: number;
  /** Cookie-banner purposes are asked in the banner on web and app. */
  askedInBanner: boolean;
  /** Base chance of a yes, by how far into the 12 months (0..1) the question is asked. */
  optIn: (yearProgress: number) => number;
  /** Chance that a customer who said yes later takes it back. */
  withdrawal: number;
  usesPerMonth: number;
  usedFields: readonly FieldKey[];
  /** Chance that one use of the data is followed by value for the customer. */
  valueChance: number;
  value: (rng: Random) => SeedValue;
  withdrawalSources: (region: Region) => Weighted<string>;
}

const money = (rng: Random, low: number, high: number): number =>
  Math.round(between(rng, low, high) * 100) / 100;
const isUs = (region: Region): boolean => region.startsWith("US-");

export const PURPOSES: readonly PurposeProfile[] = [
  {
    key: "order-updates",
    askedShare: 1,
    askedInBanner: false,
    optIn: () => 0.85,
    withdrawal: 0.03,
    usesPerMonth: 0.4,
    usedFields: ["email", "mobile-number"],
    valueChance: 0.9,
    value: () => ({ kind: "service" }),
    // Opt-outs arrive through every channel a customer knows: the links, the registries, the preference centre.
    withdrawalSources: () => [
      ["unsubscribe", 60],
      ["preference_center", 20],
      ["do_not_call", 12],
      ["dmachoice", 8],
    ],
  },
  {
    key: "personalised-offers",
    askedShare: 1,
    askedInBanner: false,
    // The product's improving ask: opt-in climbs through the year.
    optIn: (progress) => 0.4 + 0.25 * progress,
    withdrawal: 0.08,
    usesPerMonth: 0.35,
    usedFields: ["purchase-history"],
    valueChance: 0.8,
    value: (rng) =>
      rng() < 0.7
        ? { kind: "discount", amount: money(rng, 5, 30), currency: CURRENCY }
        : { kind: "personalisation" },
    withdrawalSources: () => [
      ["unsubscribe", 45],
      ["preference_center", 35],
      ["dmachoice", 20],
    ],
  },
  {
    key: "ads",
    askedShare: 1,
    askedInBanner: true,
    optIn: () => 0.47,
    withdrawal: 0.12,
    usesPerMonth: 1.1,
    usedFields: ["location", "device-id"],
    valueChance: 0.012,
    value: () => ({ kind: "content" }),
    withdrawalSources: (region) =>
      region === "US-CA"
        ? [
            ["do_not_sell", 35],
            ["gpc", 25],
            ["daa_webchoices", 15],
            ["daa_appchoices", 10],
            ["nai_optout", 5],
            ["preference_center", 10],
          ]
        : isUs(region)
          ? [
              ["gpc", 35],
              ["daa_webchoices", 20],
              ["daa_appchoices", 15],
              ["nai_optout", 10],
              ["preference_center", 20],
            ]
          : [
              ["preference_center", 55],
              ["gpc", 20],
              ["daa_webchoices", 15],
              ["nai_optout", 10],
            ],
  },
  {
    key: "analytics",
    askedShare: 1,
    askedInBanner: true,
    optIn: () => 0.6,
    withdrawal: 0.06,
    usesPerMonth: 0.9,
    usedFields: ["location", "device-id"],
    valueChance: 0.02,
    value: () => ({ kind: "service" }),
    withdrawalSources: () => [
      ["preference_center", 60],
      ["gpc", 40],
    ],
  },
  {
    key: "data-sharing",
    askedShare: 1,
    askedInBanner: true,
    optIn: () => 0.2,
    withdrawal: 0.15,
    usesPerMonth: 0.3,
    usedFields: ["purchase-history", "device-id"],
    valueChance: 0.25,
    value: (rng) => ({ kind: "discount", amount: money(rng, 5, 15), currency: CURRENCY }),
    withdrawalSources: (region) =>
      region === "US-CA"
        ? [
            ["do_not_sell", 60],
            ["dmachoice", 15],
            ["preference_center", 25],
          ]
        : [
            ["preference_center", 70],
            ["unsubscribe", 15],
            ["dmachoice", 15],
          ],
  },
  {
    // Not in the workspace config: shows up as an undeclared purpose.
    key: "partner-research",
    askedShare: 0.35,
    askedInBanner: true,
    optIn: () => 0.35,
    withdrawal: 0.1,
    usesPerMonth: 0.2,
    usedFields: ["purchase-history"],
    valueChance: 0.1,
    value: (rng) => ({ kind: "money", amount: rng() < 0.5 ? 5 : 10, currency: CURRENCY }),
    withdrawalSources: () => [["preference_center", 100]],
  },
];

export interface FieldProfile {
  key: FieldKey;
  /** Chance the field is collected at signup, given the purposes the customer said yes to there. */
  collectedShare: (channel: Channel, grantedAtSignup: ReadonlySet<PurposeKey>) => number;
  /** How often a held value is refreshed (collected again) while the customer is active. */
  refreshesPerMonth: (channel: Channel) => number;
}

const forTracking = (granted: ReadonlySet<PurposeKey>): number =>
  granted.has("ads") || granted.has("analytics") ? 1 : 0.2;

export const FIELDS: readonly FieldProfile[] = [
  { key: "email", collectedShare: () => 0.96, refreshesPerMonth: () => 0 },
  // Collected from almost everyone, used for nothing: the dormant-data story.
  { key: "birthday", collectedShare: () => 0.93, refreshesPerMonth: () => 0 },
  {
    key: "mobile-number",
    collectedShare: (channel) => (channel === "app" || channel === "call_center" ? 0.8 : 0.5),
    refreshesPerMonth: () => 0,
  },
  {
    key: "location",
    collectedShare: (channel, granted) =>
      (channel === "app" ? 0.9 : channel === "web" ? 0.6 : 0.3) * forTracking(granted),
    refreshesPerMonth: (channel) => (channel === "app" ? 0.6 : 0.15),
  },
  { key: "purchase-history", collectedShare: () => 0.85, refreshesPerMonth: () => 0.1 },
  // Not in the workspace config: shows up as an undeclared field.
  {
    key: "device-id",
    collectedShare: (channel, granted) =>
      (channel === "app" || channel === "web" ? 0.6 : 0) * forTracking(granted),
    refreshesPerMonth: () => 0,
  },
];

const CONTEXT_LIFT: Record<AskContext, number> = {
  checkout: 0.04,
  signup: 0,
  banner: -0.06,
  preference_center: 0.03,
};
const REGION_LIFT: Record<Region, number> = {
  DE: -0.04,
  FR: -0.02,
  NL: 0,
  ES: 0.02,
  IT: 0.02,
  GB: 0,
  "US-CA": -0.03,
  "US-NY": 0.04,
};
const CHANNEL_LIFT: Record<Channel, number> = {
  web: 0,
  app: 0.03,
  store: 0.05,
  email: 0,
  call_center: -0.02,
};

export function optInChance(
  purpose: PurposeProfile,
  yearProgress: number,
  context: AskContext,
  region: Region,
  channel: Channel,
): number {
  const p = purpose.optIn(yearProgress) + CONTEXT_LIFT[context] + REGION_LIFT[region] + CHANNEL_LIFT[channel];
  return Math.min(0.97, Math.max(0.03, p));
}

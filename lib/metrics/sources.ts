// Display names of event sources (SPEC section 3, `source`): the opt-out channels by the names people know them by.

export const SOURCE_LABELS: Record<string, string> = {
  dmachoice: "DMAchoice",
  do_not_call: "Do-Not-Call registry",
  daa_webchoices: "DAA WebChoices",
  daa_appchoices: "DAA AppChoices",
  nai_optout: "NAI opt-out",
  do_not_sell: "CCPA Do Not Sell",
  gpc: "Global Privacy Control (GPC)",
  unsubscribe: "Unsubscribe link",
  preference_center: "Preference center",
  account_settings: "Account settings",
  cmp: "Consent banner (CMP)",
  campaign: "Give-back campaign",
  dsar: "Data subject request",
  unknown: "Not stated",
};

/** The name of a source; a source without one is shown as sent. */
export const sourceLabel = (source: string | null | undefined): string =>
  source ? (SOURCE_LABELS[source] ?? source) : SOURCE_LABELS.unknown!;

export const REQUEST_LABELS: Record<string, string> = {
  access: "Access",
  deletion: "Deletion",
  portability: "Portability",
  total: "All requests",
};

export const VALUE_KIND_LABELS: Record<string, string> = {
  discount: "Discount",
  service: "Service",
  personalisation: "Personalisation",
  content: "Content",
  money: "Money",
  other: "Other value",
  none: "No value",
};

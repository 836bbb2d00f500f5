export type LegalBasis = "consent" | "contract" | "legitimate_interest";
export type Sensitivity = "low" | "medium" | "high" | "special";

/** The workspace configuration file of SPEC section 7. */
export interface WorkspaceConfigFile {
  purposes: {
    key: string;
    name: string;
    description: string;
    value_promise: string;
    legal_basis: LegalBasis;
  }[];
  fields: {
    key: string;
    name: string;
    sensitivity: Sensitivity;
    dormancy_days: number;
    purposes: string[];
  }[];
}

/**
 * The demo workspace. The purpose `partner-research` and the field `device-id` appear in the
 * seeded events but are deliberately left out here, so the demo shows a transparency gap.
 */
export const demoWorkspaceConfig: WorkspaceConfigFile = {
  purposes: [
    {
      key: "order-updates",
      name: "Order updates",
      description: "Messages about orders and deliveries",
      value_promise: "Know where your order is, by SMS or e-mail",
      legal_basis: "contract",
    },
    {
      key: "personalised-offers",
      name: "Personalised offers",
      description: "Offers chosen from your purchases and birthday",
      value_promise: "A birthday discount and offers that fit you",
      legal_basis: "consent",
    },
    {
      key: "ads",
      name: "Advertising",
      description: "Ads on other sites chosen from your location",
      value_promise: "Fewer irrelevant ads",
      legal_basis: "consent",
    },
    {
      key: "analytics",
      name: "Analytics",
      description: "Statistics about how the shop is used",
      value_promise: "A shop that works better",
      legal_basis: "legitimate_interest",
    },
    {
      key: "data-sharing",
      name: "Data sharing with partners",
      description: "Sharing with selected partners",
      value_promise: "Partner discounts",
      legal_basis: "consent",
    },
  ],
  fields: [
    {
      key: "email",
      name: "E-mail address",
      sensitivity: "medium",
      dormancy_days: 180,
      purposes: ["order-updates"],
    },
    {
      key: "birthday",
      name: "Birthday",
      sensitivity: "medium",
      dormancy_days: 180,
      purposes: ["personalised-offers"],
    },
    {
      key: "mobile-number",
      name: "Mobile number",
      sensitivity: "medium",
      dormancy_days: 90,
      purposes: ["order-updates"],
    },
    {
      key: "location",
      name: "Location",
      sensitivity: "high",
      dormancy_days: 30,
      purposes: ["ads", "analytics"],
    },
    {
      key: "purchase-history",
      name: "Purchase history",
      sensitivity: "low",
      dormancy_days: 365,
      purposes: ["personalised-offers", "data-sharing"],
    },
  ],
};

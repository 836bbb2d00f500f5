import type { TrustComponent } from "@/lib/metrics/types";

/** The Trust Index's components as the screens name them (client charts and server pages alike). */
export const COMPONENT_LABELS: Record<TrustComponent, string> = {
  consent: "Consent",
  retention: "Retention of consent",
  reciprocity: "Reciprocity",
  minimisation: "Data minimisation",
  transparency: "Transparency",
  survey: "Trust survey",
};
export const COMPONENTS = Object.keys(COMPONENT_LABELS) as TrustComponent[];

import { KEY_RE } from "@/lib/events/contract";
import { CONSENT_MODE_TYPES, TCF_PURPOSE_IDS, TCF_SPECIAL_FEATURE_IDS, type SignalMapping } from "./mapping";

/** One editable line of the mapping: its place in SignalMapping (dotted) and what it is called. */
export interface MappingRow {
  path: string;
  label: string;
}

export interface MappingSection {
  id: string;
  title: string;
  description: string;
  rows: MappingRow[];
}

const TCF_PURPOSE_NAMES: Record<(typeof TCF_PURPOSE_IDS)[number], string> = {
  "1": "Store and/or access information on a device",
  "2": "Use limited data to select advertising",
  "3": "Create profiles for personalised advertising",
  "4": "Use profiles to select personalised advertising",
  "5": "Create profiles to personalise content",
  "6": "Use profiles to select personalised content",
  "7": "Measure advertising performance",
  "8": "Measure content performance",
  "9": "Understand audiences through statistics or combinations of data",
  "10": "Develop and improve services",
  "11": "Use limited data to select content",
};
const TCF_SPECIAL_FEATURE_NAMES: Record<(typeof TCF_SPECIAL_FEATURE_IDS)[number], string> = {
  "1": "Use precise geolocation data",
  "2": "Actively scan device characteristics for identification",
};

/** The Segment categories are free text, edited as lines `Category = purpose, purpose`. */
export const SEGMENT_FIELD = "segment";

export const MAPPING_SECTIONS: MappingSection[] = [
  {
    id: "tcf-purposes",
    title: "IAB TCF purposes",
    description:
      "A purpose is granted only when every TCF purpose mapped to it is consented; otherwise it is denied.",
    rows: TCF_PURPOSE_IDS.map((id) => ({
      path: `tcf.purposes.${id}`,
      label: `${id}. ${TCF_PURPOSE_NAMES[id]}`,
    })),
  },
  {
    id: "tcf-special-features",
    title: "IAB TCF special features",
    description: "Opted-in special features count like consented TCF purposes.",
    rows: TCF_SPECIAL_FEATURE_IDS.map((id) => ({
      path: `tcf.special_features.${id}`,
      label: `${id}. ${TCF_SPECIAL_FEATURE_NAMES[id]}`,
    })),
  },
  {
    id: "gpp",
    title: "IAB GPP US opt-outs",
    description:
      "An opt-out in a US section (usnat, state sections, uspv1) withdraws these purposes; not opting out says nothing.",
    rows: [
      { path: "gpp.sale", label: "Sale opt-out" },
      { path: "gpp.sharing", label: "Sharing opt-out (cross-context behavioural advertising)" },
      { path: "gpp.targeted_advertising", label: "Targeted advertising opt-out" },
    ],
  },
  {
    id: "gpc",
    title: "Global Privacy Control",
    description:
      "A browser's GPC signal (the Sec-GPC header or a GPP section's flag) withdraws these purposes.",
    rows: [{ path: "gpc", label: "GPC" }],
  },
  {
    id: "consent-mode",
    title: "Google Consent Mode",
    description:
      "A purpose is granted only when every consent type mapped to it that the signal carries is granted.",
    rows: CONSENT_MODE_TYPES.map((type) => ({ path: `google_consent_mode.${type}`, label: type })),
  },
];

/** The form's values: a comma-separated list of purpose keys per row path, and Segment's lines. */
export type MappingForm = Record<string, string>;

export interface FormIssue {
  path: string;
  message: string;
}

function at(mapping: SignalMapping, path: string): readonly string[] {
  let value: unknown = mapping;
  for (const part of path.split(".")) value = (value as Record<string, unknown> | undefined)?.[part];
  return Array.isArray(value) ? (value as string[]) : [];
}

export function mappingToForm(mapping: SignalMapping): MappingForm {
  const form: MappingForm = {};
  for (const section of MAPPING_SECTIONS)
    for (const row of section.rows) form[row.path] = at(mapping, row.path).join(", ");
  form[SEGMENT_FIELD] = Object.entries(mapping.segment)
    .map(([category, purposes]) => `${category} = ${purposes.join(", ")}`)
    .join("\n");
  return form;
}

/** Reads the form back into a mapping for SignalMapping to validate; what cannot even be read is an issue by row. */
export function mappingFromForm(form: MappingForm): {
  mapping: Record<string, unknown>;
  issues: FormIssue[];
} {
  const issues: FormIssue[] = [];
  const mapping: Record<string, unknown> = {};
  const keys = (path: string, text: string): string[] => {
    const list = text
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean);
    const bad = list.filter((k) => !KEY_RE.test(k));
    if (bad.length)
      issues.push({
        path,
        message: `${bad.map((k) => `'${k}'`).join(", ")}: a purpose key is lowercase letters, digits, '.', '_' or '-'`,
      });
    return list;
  };
  for (const section of MAPPING_SECTIONS) {
    for (const row of section.rows) put(mapping, row.path, keys(row.path, form[row.path] ?? ""));
  }
  const segment: Record<string, string[]> = {};
  (form[SEGMENT_FIELD] ?? "").split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const eq = line.indexOf("=");
    const category = line.slice(0, Math.max(eq, 0)).trim();
    if (eq < 0 || !category)
      issues.push({ path: SEGMENT_FIELD, message: `line ${i + 1}: expected "Category = purpose, purpose"` });
    else if (category in segment)
      issues.push({ path: SEGMENT_FIELD, message: `line ${i + 1}: category '${category}' is listed twice` });
    else segment[category] = keys(SEGMENT_FIELD, line.slice(eq + 1));
  });
  mapping.segment = segment;
  return { mapping, issues };
}

function put(target: Record<string, unknown>, path: string, value: string[]): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts.at(-1) ?? path] = value;
}

/** The form row an issue of SignalMapping belongs to: the longest row path that starts its path. */
export function rowOf(issuePath: string): string {
  const rows = [...MAPPING_SECTIONS.flatMap((s) => s.rows.map((r) => r.path)), SEGMENT_FIELD];
  const match = rows
    .filter((r) => issuePath === r || issuePath.startsWith(`${r}.`))
    .sort((a, b) => b.length - a.length)[0];
  return match ?? "form";
}

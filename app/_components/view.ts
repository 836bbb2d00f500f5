/**
 * The view of a screen — period, granularity and filters — as it lives in the URL. The query
 * parameters are the metrics API's own, so `/purposes?<q>` and `/api/v1/metrics/opt-in?<q>` agree.
 * Pure: imported by server pages (to prefetch) and client components (to read and change the URL).
 */
import { someOf } from "@/lib/events/text";

export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface View {
  /** First day of the period, `YYYY-MM-DD` (UTC). */
  from: string;
  /** Day after the last day of the period: periods are half-open `[from, to)`. */
  to: string;
  granularity: Granularity;
  purpose?: string;
  region?: string;
  channel?: string;
}

export const FILTER_KEYS = ["purpose", "region", "channel"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface ViewDefaults {
  from: string;
  to: string;
  granularity: Granularity;
  /** End of the data: the day after the latest event, or tomorrow. Presets count back from it. */
  anchor: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export function isDay(value: unknown): value is string {
  if (typeof value !== "string" || !DATE_RE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  // 2026-02-30 parses as 2 March: a day that does not exist is not a date.
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export function startOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export const PRESETS = [
  { id: "30d", label: "Last 30 days" },
  { id: "90d", label: "Last 90 days" },
  { id: "12m", label: "Last 12 months" },
  { id: "ytd", label: "Year to date" },
] as const;
export type PresetId = (typeof PRESETS)[number]["id"];

/** A preset's period, ending at the anchor, with the granularity that reads best for its length. */
export function presetView(id: PresetId, anchor: string): Pick<View, "from" | "to" | "granularity"> {
  switch (id) {
    case "30d":
      return { from: addDays(anchor, -30), to: anchor, granularity: "day" };
    case "90d":
      return { from: addDays(anchor, -90), to: anchor, granularity: "week" };
    case "12m":
      return {
        from: addMonths(startOfMonth(anchor), anchor.endsWith("-01") ? -12 : -11),
        to: anchor,
        granularity: "month",
      };
    case "ytd": {
      const last = addDays(anchor, -1);
      return {
        from: `${last.slice(0, 4)}-01-01`,
        to: anchor,
        granularity: daysBetween(`${last.slice(0, 4)}-01-01`, anchor) > 100 ? "month" : "week",
      };
    }
  }
}

export function matchingPreset(view: View, anchor: string): PresetId | undefined {
  return PRESETS.find((p) => {
    const range = presetView(p.id, anchor);
    return range.from === view.from && range.to === view.to;
  })?.id;
}

export function defaultsFor(anchor: string): ViewDefaults {
  return { ...presetView("90d", anchor), anchor };
}

type SearchLike = URLSearchParams | Record<string, string | string[] | undefined>;

function read(search: SearchLike, key: string): string | undefined {
  const raw = search instanceof URLSearchParams ? search.get(key) : search[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === null || value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** A parameter of the URL that could not be used, and what is shown instead: said on the screen, never silently. */
export interface ViewProblem {
  /** `context`: the Purposes screen's journey step (purposes-params.ts), said with the view's problems. */
  key: "from" | "to" | "period" | "granularity" | FilterKey | "context";
  message: string;
}

const GRANULARITY_NAMES: Record<Granularity, string> = { day: "daily", week: "weekly", month: "monthly" };

/** The values a filter of the view can take in the workspace (its catalog); a filter without a list is not checked. */
export interface KnownValues {
  purposes?: readonly string[];
  regions?: readonly string[];
  channels?: readonly string[];
  /** Journey steps: not a filter of every screen, but the Purposes screen's `context` (purposes-params.ts). */
  contexts?: readonly string[];
}

/** The known values of a workspace's catalog (purposes by key, regions, channels, journey steps). */
export const knownValues = (c: {
  purposes: readonly { key: string }[];
  regions: readonly string[];
  channels: readonly string[];
  contexts: readonly string[];
}): KnownValues => ({
  purposes: c.purposes.map((p) => p.key),
  regions: c.regions,
  channels: c.channels,
  contexts: c.contexts,
});

/**
 * The URL's view, with defaults for what is missing, and a plain message for each parameter that is malformed
 * (a date that does not exist, from after to, an unknown granularity, or a purpose, region or channel the
 * workspace's events never had, when `known` lists them): the rest of the view is kept.
 */
export function readView(
  search: SearchLike,
  defaults: ViewDefaults,
  known: KnownValues = {},
): { view: View; problems: ViewProblem[] } {
  const problems: ViewProblem[] = [];
  const day = (key: "from" | "to"): string => {
    const value = read(search, key);
    if (value === undefined) return defaults[key];
    if (isDay(value)) return value;
    const shown = key === "from" ? defaults.from : addDays(defaults.to, -1);
    problems.push({
      key,
      message: `“${value}” is not a date (${key === "from" ? "from" : "to"} must be YYYY-MM-DD): the period ${key === "from" ? "starts" : "ends"} on ${shown} instead.`,
    });
    return defaults[key];
  };
  const granularity = read(search, "granularity");
  const knownGranularity = (GRANULARITIES as readonly string[]).includes(granularity ?? "");
  if (granularity !== undefined && !knownGranularity) {
    problems.push({
      key: "granularity",
      message: `“${granularity}” is not a granularity (day, week or month): showing ${GRANULARITY_NAMES[defaults.granularity]} figures.`,
    });
  }
  const view: View = {
    from: day("from"),
    to: day("to"),
    granularity: knownGranularity ? (granularity as Granularity) : defaults.granularity,
  };
  if (view.from >= view.to) {
    problems.push({
      key: "period",
      message: `The period starts (${view.from}) on or after it ends (${addDays(view.to, -1)}): showing ${defaults.from} to ${addDays(defaults.to, -1)} instead.`,
    });
    view.from = defaults.from;
    view.to = defaults.to;
  }
  for (const key of FILTER_KEYS) {
    const value = read(search, key);
    if (!value) continue;
    const values = { purpose: known.purposes, region: known.regions, channel: known.channels }[key];
    if (values && !values.includes(value)) {
      problems.push({
        key,
        message:
          key === "purpose"
            ? `There is no purpose “${value}” in this workspace: showing every purpose.`
            : `No event in this workspace has the ${key} “${value}”${values.length ? ` (there are ${someOf(values)})` : ""}: showing every ${key}.`,
      });
      continue;
    }
    view[key] = value;
  }
  return { view, problems };
}

/** The URL's view, with defaults for what is missing or malformed. */
export function resolveView(search: SearchLike, defaults: ViewDefaults, known?: KnownValues): View {
  return readView(search, defaults, known).view;
}

/** The view as query parameters (the metrics API's names), empty filters left out, plus extra parameters. */
export function viewParams(
  view: View,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const params: Record<string, string> = { from: view.from, to: view.to, granularity: view.granularity };
  for (const key of FILTER_KEYS) if (view[key]) params[key] = view[key] as string;
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params[key] = value;
  return params;
}

export function viewQuery(view: View, extra: Record<string, string | undefined> = {}): string {
  return new URLSearchParams(viewParams(view, extra)).toString();
}

/** The period of equal length just before the view's: the comparison for KPI changes. */
export function previousPeriod(view: View): View {
  const days = daysBetween(view.from, view.to);
  return { ...view, from: addDays(view.from, -days), to: view.from };
}

/** Twelve calendar months ending with the month of the view's last day (the Trust Index trend). */
export function trailingYear(view: View): View {
  const last = addDays(view.to, -1);
  return { ...view, from: addMonths(startOfMonth(last), -11), granularity: "month" };
}

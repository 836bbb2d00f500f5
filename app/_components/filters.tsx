"use client";

import { useIsFetching } from "@tanstack/react-query";
import { useState } from "react";
import { dimensionName } from "./dimension-names";
import { formatDay } from "./format";
import { useFormats, useViewDefaults } from "./providers";
import { useCatalogQuery } from "./queries";
import { useHydrated } from "./states";
import { useView } from "./use-view";
import {
  addDays,
  GRANULARITIES,
  isDay,
  matchingPreset,
  PRESETS,
  presetView,
  type FilterKey,
  type ViewProblem,
} from "./view";

export type Control = "granularity" | FilterKey;

const FILTER_LABELS: Record<FilterKey, string> = { purpose: "Purpose", region: "Region", channel: "Channel" };

/** Period presets, dates, granularity and filters: every change is written to the URL. */
export function FilterBar({
  controls = ["granularity", "purpose", "region", "channel"],
  periodLabel = "Period",
  problems: screenProblems = [],
}: {
  controls?: Control[];
  periodLabel?: string;
  /** A screen's own parameters that could not be used (Purposes' journey step), said with the view's. */
  problems?: ViewProblem[];
}) {
  const { view, problems: viewProblems, setView } = useView();
  const problems = [...viewProblems, ...screenProblems];
  const [open, setOpen] = useState(false);
  const defaults = useViewDefaults();
  const f = useFormats();
  const catalog = useCatalogQuery();
  // The filters' own choices come with the catalog; "Updating…" is about the numbers.
  const fetching = useIsFetching() > 0;
  const updating = useHydrated() && fetching;
  const preset = matchingPreset(view, defaults.anchor);
  const through = addDays(view.to, -1);
  const choices: Record<FilterKey, { value: string; label: string }[]> = {
    purpose: catalog.purposes.map((p) => ({
      value: p.key,
      label: p.status === "declared" ? p.name : `${p.key} (undeclared)`,
    })),
    region: catalog.regions.map((r) => ({
      value: r,
      label: dimensionName(f.locale, "region", r),
    })),
    channel: catalog.channels.map((c) => ({
      value: c,
      label: dimensionName(f.locale, "channel", c),
    })),
  };

  const chosen = (key: FilterKey) =>
    view[key]
      ? (choices[key].find((c) => c.value === view[key])?.label ?? view[key])
      : `every ${key === "purpose" ? "purpose" : key}`;
  // A filter set on another screen (the navigation carries it) that this one does not apply: said, never silent.
  const notApplied = (["purpose", "region", "channel"] as const).filter(
    (k) => view[k] && !controls.includes(k),
  );
  const summary = [
    `${formatDay(f, view.from)} – ${formatDay(f, through)}`,
    ...(controls.includes("granularity")
      ? [view.granularity === "day" ? "daily" : view.granularity === "week" ? "weekly" : "monthly"]
      : []),
    ...(["purpose", "region", "channel"] as const).filter((k) => controls.includes(k)).map(chosen),
  ].join(" · ");

  return (
    <form
      className="filters"
      aria-label="Period and filters"
      data-open={open}
      onSubmit={(e) => e.preventDefault()}
    >
      {/* On a phone the choices fold under one line that says what is shown, so the numbers start on the first screen. */}
      <p className="filters-summary" data-filters-summary>
        {summary}
      </p>
      <button
        type="button"
        className="btn btn-small filters-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? "Done" : "Change"}
      </button>
      <div className="filter-group">
        <div className="presets" role="group" aria-label={`${periodLabel} presets`}>
          {PRESETS.map((p) => (
            <button
              key={p.id}
              type="button"
              className="btn btn-small"
              aria-pressed={preset === p.id}
              onClick={() => setView(presetView(p.id, defaults.anchor))}
            >
              {p.label}
            </button>
          ))}
        </div>
        <label>
          From
          <input
            className="input"
            type="date"
            name="from"
            value={view.from}
            max={through}
            onChange={(e) =>
              isDay(e.target.value) && e.target.value < view.to && setView({ from: e.target.value })
            }
          />
        </label>
        <label>
          Through
          <input
            className="input"
            type="date"
            name="through"
            value={through}
            min={view.from}
            onChange={(e) =>
              isDay(e.target.value) &&
              e.target.value >= view.from &&
              setView({ to: addDays(e.target.value, 1) })
            }
          />
        </label>
        {controls.includes("granularity") ? (
          <label>
            Granularity
            <select
              className="select"
              name="granularity"
              value={view.granularity}
              onChange={(e) => setView({ granularity: e.target.value as (typeof GRANULARITIES)[number] })}
            >
              {GRANULARITIES.map((g) => (
                <option key={g} value={g}>
                  {g === "day" ? "Daily" : g === "week" ? "Weekly" : "Monthly"}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div className="filter-group">
        {(["purpose", "region", "channel"] as const)
          .filter((key) => controls.includes(key))
          .map((key) => {
            // Always one of the choices: the view drops a value the catalog does not list (readView).
            const current = view[key];
            return (
              <label key={key}>
                {FILTER_LABELS[key]}
                <select
                  className="select"
                  name={key}
                  value={current ?? ""}
                  onChange={(e) => setView({ [key]: e.target.value || undefined })}
                >
                  <option value="">All</option>
                  {choices[key].map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </label>
            );
          })}
      </div>
      {notApplied.length ? (
        <p className="filters-note" data-filters-not-applied={notApplied.join(" ")}>
          {notApplied.map((k) => `${FILTER_LABELS[k]} ${chosen(k)}`).join(" and ")}{" "}
          {notApplied.length === 1 ? "is" : "are"} not applied on this screen: its numbers cover every{" "}
          {notApplied.join(" and every ")}. The filter is kept for the screens that use it.
        </p>
      ) : null}
      {problems.length ? (
        <div className="filters-problems" role="alert" data-view-problems>
          {problems.map((p) => (
            <p key={p.key} data-problem={p.key}>
              {p.message}
            </p>
          ))}
        </div>
      ) : null}
      <p className="filters-note" aria-live="polite">
        {updating ? "Updating… · " : ""}Data up to {formatDay(f, addDays(defaults.anchor, -1))} (UTC)
      </p>
    </form>
  );
}

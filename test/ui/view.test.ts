import { describe, expect, test } from "vitest";
import {
  defaultsFor,
  isDay,
  matchingPreset,
  presetView,
  previousPeriod,
  readView,
  resolveView,
  trailingYear,
  viewQuery,
} from "@/app/_components/view";

const defaults = defaultsFor("2026-11-01");

describe("the view in the URL", () => {
  test.each([
    [
      "no parameters: the 90 days up to the end of the data, weekly",
      {},
      { from: "2026-08-03", to: "2026-11-01", granularity: "week" },
    ],
    [
      "a period and granularity are taken as given",
      { from: "2026-01-01", to: "2026-04-01", granularity: "month" },
      { from: "2026-01-01", to: "2026-04-01", granularity: "month" },
    ],
    [
      "a malformed date is replaced by its default",
      { from: "yesterday", to: "2026-12-01" },
      { from: "2026-08-03", to: "2026-12-01", granularity: "week" },
    ],
    [
      "from after to falls back to the default period",
      { from: "2026-05-01", to: "2026-04-01" },
      { from: "2026-08-03", to: "2026-11-01", granularity: "week" },
    ],
    [
      "an unknown granularity falls back to weekly",
      { granularity: "hour" },
      { from: "2026-08-03", to: "2026-11-01", granularity: "week" },
    ],
  ])("%s", (_rule, search, expected) => {
    expect(resolveView(search, defaults)).toEqual(expected);
  });

  test("filters are read from the metrics API's parameter names and empty ones are left out", () => {
    const view = resolveView(new URLSearchParams("purpose=ads&region=DE&channel="), defaults);
    expect(view).toMatchObject({ purpose: "ads", region: "DE" });
    expect(view.channel).toBeUndefined();
    expect(viewQuery(view)).toBe("from=2026-08-03&to=2026-11-01&granularity=week&purpose=ads&region=DE");
  });
});

describe("a parameter that cannot be used is said, and the rest of the view is kept", () => {
  test.each([
    [
      "a month that does not exist",
      { from: "2026-13-01", to: "2026-10-01", region: "DE" },
      "from",
      "“2026-13-01” is not a date (from must be YYYY-MM-DD): the period starts on 2026-08-03 instead.",
    ],
    [
      "a day that does not exist",
      { to: "2026-02-30", region: "DE" },
      "to",
      "“2026-02-30” is not a date (to must be YYYY-MM-DD): the period ends on 2026-10-31 instead.",
    ],
    [
      "from after to",
      { from: "2026-05-01", to: "2026-04-01", region: "DE" },
      "period",
      "The period starts (2026-05-01) on or after it ends (2026-03-31): showing 2026-08-03 to 2026-10-31 instead.",
    ],
    [
      "an unknown granularity",
      { granularity: "hour", region: "DE" },
      "granularity",
      "“hour” is not a granularity (day, week or month): showing weekly figures.",
    ],
    [
      "a purpose the workspace does not have",
      { purpose: "nope", region: "DE" },
      "purpose",
      "There is no purpose “nope” in this workspace: showing every purpose.",
    ],
  ])("%s", (_rule, search, key, message) => {
    const { view, problems } = readView(search, defaults, {
      purposes: ["ads", "newsletter"],
      regions: ["DE"],
    });
    expect(problems).toEqual([{ key, message }]);
    expect(view.region).toBe("DE");
    expect(view.purpose).toBeUndefined();
  });

  test("a region or channel no event has is said with the ones there are, and dropped; the others stay", () => {
    const known = { purposes: ["ads"], regions: ["DE", "GB"], channels: ["store", "web"] };
    const period = { from: defaults.from, to: defaults.to, granularity: defaults.granularity };
    expect(readView({ region: "UK", channel: "web", purpose: "ads" }, defaults, known)).toEqual({
      view: { ...period, channel: "web", purpose: "ads" },
      problems: [
        {
          key: "region",
          message: "No event in this workspace has the region “UK” (there are DE, GB): showing every region.",
        },
      ],
    });
    expect(readView({ region: "GB", channel: "phone" }, defaults, known)).toEqual({
      view: { ...period, region: "GB" },
      problems: [
        {
          key: "channel",
          message:
            "No event in this workspace has the channel “phone” (there are store, web): showing every channel.",
        },
      ],
    });
    // Without a list (the catalog not loaded) the value is taken as it is.
    expect(readView({ region: "UK" }, defaults, { purposes: ["ads"] }).view.region).toBe("UK");
    const many = Array.from({ length: 14 }, (_, i) => `R${String(i).padStart(2, "0")}`);
    expect(readView({ region: "UK" }, defaults, { regions: many }).problems[0]?.message).toBe(
      "No event in this workspace has the region “UK” (there are R00, R01, R02, R03, R04, R05, R06, R07, R08, R09, R10, R11 and 2 more): showing every region.",
    );
  });

  test("a well-formed view has no problems, and a known purpose is kept", () => {
    expect(
      readView({ from: "2026-01-01", to: "2026-04-01", granularity: "month", purpose: "ads" }, defaults, {
        purposes: ["ads"],
      }),
    ).toEqual({
      view: { from: "2026-01-01", to: "2026-04-01", granularity: "month", purpose: "ads" },
      problems: [],
    });
  });

  test("a date is a day of the calendar", () => {
    expect([
      isDay("2026-02-28"),
      isDay("2028-02-29"),
      isDay("2026-02-29"),
      isDay("2026-13-01"),
      isDay("2026-1-01"),
    ]).toEqual([true, true, false, false, false]);
  });
});

describe("periods", () => {
  test.each([
    ["30d", { from: "2026-10-02", to: "2026-11-01", granularity: "day" }],
    ["90d", { from: "2026-08-03", to: "2026-11-01", granularity: "week" }],
    ["12m", { from: "2025-11-01", to: "2026-11-01", granularity: "month" }],
    ["ytd", { from: "2026-01-01", to: "2026-11-01", granularity: "month" }],
  ] as const)("the %s preset ends at the end of the data", (id, expected) => {
    expect(presetView(id, "2026-11-01")).toEqual(expected);
    expect(matchingPreset({ ...expected }, "2026-11-01")).toBe(id);
  });

  test("twelve months up to the middle of a month include that month", () => {
    expect(presetView("12m", "2026-11-24")).toMatchObject({ from: "2025-12-01", to: "2026-11-24" });
  });

  test("the previous period has the same length and ends where the period starts", () => {
    expect(previousPeriod({ from: "2026-08-03", to: "2026-11-01", granularity: "week" })).toEqual({
      from: "2026-05-05",
      to: "2026-08-03",
      granularity: "week",
    });
  });

  test("the Trust Index shows the twelve calendar months up to the period's last day", () => {
    expect(trailingYear({ from: "2026-08-03", to: "2026-11-01", granularity: "week" })).toEqual({
      from: "2025-11-01",
      to: "2026-11-01",
      granularity: "month",
    });
  });
});

import { expect, test } from "vitest";
import { computeMetric } from "@/lib/metrics";
import { freshWorkspace } from "../helpers/db";
import { fixtureJson } from "../helpers/fixtures";
import { expectSame, ingest } from "./helpers";

// Each rule of SPEC section 4 on a handful of events, from the rollups and from the raw events.

type Event = Record<string, unknown>;
let seq = 0;
const ev = (type: string, subject: string | null, occurred_at: string, extra: Event = {}): Event => ({
  id: `d-${++seq}`,
  type,
  ...(subject ? { subject } : {}),
  occurred_at,
  ...extra,
});
const ads = { purpose: "ads" };
const granted = (s: string, at: string, extra: Event = {}) =>
  ev("consent.granted", s, at, { ...ads, ...extra });
const denied = (s: string, at: string, extra: Event = {}) =>
  ev("consent.denied", s, at, { ...ads, ...extra });
const withdrawn = (s: string, at: string) => ev("consent.withdrawn", s, at, ads);
const collected = (s: string, at: string, field = "location") => ev("data.collected", s, at, { field });

const Q1 = { from: "2026-01-01", to: "2026-04-01", granularity: "month" };
const adsOf = (r: unknown) =>
  (r as { purposes: { purpose: string }[] }).purposes.find((p) => p.purpose === "ads");
const fieldOf = (field: string) => (r: unknown) =>
  (r as { fields: { field: string }[] }).fields.find((f) => f.field === field);

/** Uses of `location` by subjects in DE and FR on the same days; s3 moves to FR just after 2026-04-01. */
const LAST_USES: Event[] = [
  ev("data.collected", "s1", "2026-01-05T00:00:00Z", { field: "location", region: "DE" }),
  ev("data.used", "s1", "2026-03-10T05:00:00Z", { ...ads, field: "location" }),
  ev("data.collected", "s2", "2026-01-05T00:00:00Z", { field: "location", region: "FR" }),
  ev("data.used", "s2", "2026-03-10T09:00:00Z", { ...ads, field: "location" }),
  ev("data.used", "s2", "2026-03-25T00:00:00Z", { ...ads, field: "location" }),
  ev("data.collected", "s3", "2026-01-06T00:00:00Z", { field: "location", region: "DE" }),
  ev("data.used", "s3", "2026-03-12T00:00:00Z", { ...ads, field: "location" }),
  ev("trust.rated", "s3", "2026-04-01T00:00:01Z", { score: 5, region: "FR" }),
  ev("data.used", null, "2026-02-01T00:00:00Z", { ...ads, field: "location" }),
];

interface Case {
  events: Event[];
  metric: string;
  query: Record<string, string>;
  pick?: (response: unknown) => unknown;
  want: unknown;
}

const CASES: Record<string, Case> = {
  "a tie on occurred_at is decided by arrival: the later-arriving answer is the latest": {
    events: [
      granted("s1", "2026-01-05T10:00:00Z"),
      denied("s1", "2026-01-05T10:00:00Z"),
      denied("s2", "2026-01-05T10:00:00Z"),
      granted("s2", "2026-01-05T10:00:00Z"),
    ],
    metric: "opt-in",
    query: Q1,
    pick: adsOf,
    want: {
      answered: 2,
      granted: 1,
      series: [{ answered: 2, granted: 1 }, { answered: 0, opt_in_rate: null }, { answered: 0 }],
    },
  },
  "a subject asked five times counts once, by the latest answer in each period": {
    events: [
      denied("s1", "2026-01-02T00:00:00Z"),
      granted("s1", "2026-01-03T00:00:00Z"),
      denied("s1", "2026-01-04T00:00:00Z"),
      granted("s1", "2026-02-03T00:00:00Z"),
      denied("s1", "2026-02-04T00:00:00Z"),
    ],
    metric: "opt-in",
    query: Q1,
    pick: adsOf,
    want: {
      answered: 1,
      granted: 0,
      opt_in_rate: 0,
      series: [
        { answered: 1, granted: 0 },
        { answered: 1, granted: 0 },
        { answered: 0, opt_in_rate: null },
      ],
    },
  },
  "a context filter keeps the asks made in that context": {
    events: [
      granted("s1", "2026-01-02T00:00:00Z", { context: "banner" }),
      denied("s1", "2026-01-03T00:00:00Z", { context: "checkout" }),
      denied("s2", "2026-01-03T00:00:00Z"),
    ],
    metric: "opt-in",
    query: { ...Q1, context: "banner" },
    pick: adsOf,
    want: { answered: 1, granted: 1 },
  },
  "a re-opt-in after a withdrawal makes the subject consenting again": {
    events: [
      granted("s1", "2026-01-05T00:00:00Z"),
      withdrawn("s1", "2026-02-10T00:00:00Z"),
      granted("s1", "2026-03-03T00:00:00Z"),
    ],
    metric: "withdrawals",
    query: { from: "2026-01-01", to: "2026-05-01", granularity: "month" },
    pick: adsOf,
    want: {
      consenting: 1,
      withdrawn: 1,
      series: [
        { consenting: 1, withdrawn: 0 },
        { consenting: 1, withdrawn: 1, withdrawal_rate: 1 },
        { consenting: 1, withdrawn: 0 },
        { consenting: 1, withdrawn: 0 },
      ],
    },
  },
  "a withdrawal counts only for subjects consenting in the period; an event at `from` is in the period, not at it":
    {
      events: [
        denied("never", "2026-01-05T00:00:00Z"),
        withdrawn("never", "2026-02-10T00:00:00Z"),
        granted("ended", "2026-01-05T00:00:00Z"),
        withdrawn("ended", "2026-02-01T00:00:00Z"),
        granted("again", "2026-02-05T00:00:00Z"),
        denied("again", "2026-02-06T00:00:00Z"),
        withdrawn("again", "2026-02-07T00:00:00Z"),
      ],
      metric: "withdrawals",
      query: { from: "2026-02-01", to: "2026-03-01", granularity: "month" },
      pick: adsOf,
      want: { consenting: 2, withdrawn: 2, withdrawal_rate: 1 },
    },
  "reciprocity counts a use and a value anywhere in the same period, and bulk uses never": {
    events: [
      ev("data.used", "s1", "2026-01-10T00:00:00Z", { ...ads, field: "location" }),
      ev("value.delivered", "s1", "2026-02-10T00:00:00Z", {
        ...ads,
        value: { kind: "discount", amount: 5.1, currency: "EUR" },
      }),
      ev("value.delivered", "s1", "2026-02-11T00:00:00Z", {
        ...ads,
        value: { kind: "discount", amount: 2.2 },
      }),
      ev("value.delivered", "s2", "2026-02-11T00:00:00Z", {
        ...ads,
        value: { kind: "money", amount: 3, currency: "USD" },
      }),
      ev("data.used", null, "2026-02-12T00:00:00Z", { ...ads, field: "location" }),
    ],
    metric: "reciprocity",
    query: Q1,
    pick: adsOf,
    want: {
      used: 1,
      used_and_valued: 1,
      reciprocity: 1,
      value_total: 7.3,
      value_other: { USD: 3 },
      series: [
        { used: 1, used_and_valued: 0, reciprocity: 0 },
        { used: 0, reciprocity: null, value_total: 7.3 },
        { used: 0 },
      ],
    },
  },
  "a deletion ends a holding, a later collection starts one; a tie is decided by arrival": {
    events: [
      collected("again", "2026-01-05T00:00:00Z"),
      ev("data.deleted", "again", "2026-02-05T00:00:00Z", { field: "location" }),
      collected("again", "2026-03-01T00:00:00Z"),
      collected("kept", "2026-03-01T00:00:00Z"),
      ev("data.deleted", "kept", "2026-03-02T00:00:00Z", { field: "location" }),
      collected("kept", "2026-03-02T00:00:00Z"),
      collected("gone", "2026-03-01T00:00:00Z"),
      collected("gone", "2026-03-02T00:00:00Z"),
      ev("data.deleted", "gone", "2026-03-02T00:00:00Z", { field: "location" }),
    ],
    metric: "dormant-data",
    query: { at: "2026-03-10" },
    pick: fieldOf("location"),
    want: { holdings: 2, dormant: 0 },
  },
  "a holding collected within the dormancy window is not dormant; one collected exactly W days before is": {
    events: [
      collected("new", "2026-03-20T00:00:00Z"),
      collected("edge", "2026-03-02T00:00:00Z"),
      collected("old", "2026-01-10T00:00:00Z"),
      collected("used", "2026-01-10T00:00:00Z"),
      ev("data.used", "used", "2026-03-20T00:00:00Z", { ...ads, field: "location" }),
    ],
    metric: "dormant-data",
    query: { at: "2026-04-01" },
    pick: fieldOf("location"),
    want: { holdings: 4, dormant: 2, dormant_share: 0.5, last_used_at: "2026-03-20T00:00:00Z" },
  },
  "a bulk use of a field within its window makes none of its holdings dormant": {
    events: [
      collected("s1", "2026-01-10T00:00:00Z"),
      collected("s2", "2026-01-10T00:00:00Z"),
      ev("data.used", null, "2026-03-15T00:00:00Z", { ...ads, field: "location" }),
    ],
    metric: "dormant-data",
    query: { at: "2026-04-01" },
    pick: fieldOf("location"),
    want: { holdings: 2, dormant: 0, last_used_at: "2026-03-15T00:00:00Z" },
  },
  "under a region filter, value amounts are the kept subjects' own, summed exactly per currency, with a currency of zero amounts listed":
    {
      events: [
        granted("mover", "2026-01-05T00:00:00Z", { region: "DE" }),
        ev("value.delivered", "mover", "2026-01-20T00:00:00Z", {
          ...ads,
          value: { kind: "money", amount: 1.5 },
        }),
        ev("trust.rated", "mover", "2026-02-20T00:00:00Z", { score: 5, region: "FR" }),
        ev("value.delivered", "s1", "2026-02-10T00:00:00Z", {
          ...ads,
          region: "DE",
          value: { kind: "discount", amount: 0.1 },
        }),
        ev("value.delivered", "s1", "2026-02-11T00:00:00Z", {
          ...ads,
          value: { kind: "discount", amount: 0.2 },
        }),
        ev("value.delivered", "s1", "2026-02-12T00:00:00Z", {
          ...ads,
          value: { kind: "money", currency: "USD" },
        }),
        ev("value.delivered", "s2", "2026-02-10T00:00:00Z", {
          ...ads,
          region: "FR",
          value: { kind: "money", amount: 5, currency: "USD" },
        }),
      ],
      metric: "reciprocity",
      query: { ...Q1, region: "DE" },
      pick: adsOf,
      want: {
        value_total: 0.3,
        value_other: { USD: 0 },
        series: [
          { value_total: 1.5, value_other: {} },
          { value_total: 0.3, value_other: { USD: 0 } },
          { value_total: 0, value_other: {} },
        ],
      },
    },
  "under a region filter, last_used_at is the latest use by a subject kept at `at` (inclusive) or a bulk use":
    {
      events: LAST_USES,
      metric: "dormant-data",
      query: { at: "2026-04-01", region: "DE" },
      pick: fieldOf("location"),
      want: { holdings: 2, dormant: 0, last_used_at: "2026-03-12T00:00:00Z" },
    },
  "under a region filter, a subject who moved by `at` takes its uses along": {
    events: LAST_USES,
    metric: "dormant-data",
    query: { at: "2026-04-02", region: "DE" },
    pick: fieldOf("location"),
    want: { holdings: 1, dormant: 0, last_used_at: "2026-03-10T05:00:00Z" },
  },
  "under a region filter, a bulk use counts for everyone's last use and dormancy": {
    events: [...LAST_USES, ev("data.used", null, "2026-04-15T12:00:00Z", { ...ads, field: "location" })],
    metric: "dormant-data",
    query: { at: "2026-05-01", region: "DE" },
    pick: fieldOf("location"),
    want: { holdings: 1, dormant: 0, last_used_at: "2026-04-15T12:00:00Z" },
  },
  "a period without events has zero counts and null rates": {
    events: [
      granted("s1", "2025-06-01T00:00:00Z"),
      ev("trust.rated", "s1", "2025-06-02T00:00:00Z", { score: 9 }),
    ],
    metric: "trust-score",
    query: Q1,
    want: {
      responses: 0,
      mean: null,
      trust_score: null,
      series: [{ responses: 0, mean: null }, { responses: 0 }, { responses: 0 }],
    },
  },
  // FR is a region of the workspace (a 400 otherwise: lib/metrics/filter-values.ts), but nobody has it by the period's end.
  "a region filter that matches nothing gives zero counts and null rates": {
    events: [
      granted("s1", "2026-01-05T00:00:00Z", { region: "DE" }),
      ev("trust.rated", "s2", "2026-06-01T00:00:00Z", { score: 3, region: "FR" }),
    ],
    metric: "opt-in",
    query: { ...Q1, region: "FR" },
    pick: adsOf,
    want: { answered: 0, granted: 0, opt_in_rate: null },
  },
  "a region filter keeps subjects by their latest region up to the end of the period": {
    events: [
      granted("mover", "2026-01-05T00:00:00Z", { region: "DE" }),
      ev("trust.rated", "mover", "2026-02-01T00:00:00Z", { score: 3, region: "FR" }),
      granted("stay", "2026-01-05T00:00:00Z", { region: "DE" }),
      ev("trust.rated", "stay", "2026-05-01T00:00:00Z", { score: 3, region: "FR" }),
    ],
    metric: "opt-in",
    query: { ...Q1, region: "DE" },
    pick: adsOf,
    want: { answered: 1 },
  },
  "in a series, a subject's region is its latest up to that bucket's end, not the whole period's": {
    events: [
      granted("late", "2026-01-10T00:00:00Z"),
      granted("late", "2026-02-10T00:00:00Z"),
      granted("late", "2026-03-10T00:00:00Z", { region: "DE" }),
      granted("mover", "2026-01-05T00:00:00Z", { region: "DE" }),
      granted("mover", "2026-02-05T00:00:00Z", { region: "FR" }),
      granted("mover", "2026-03-05T00:00:00Z"),
    ],
    metric: "opt-in",
    query: { ...Q1, region: "DE" },
    pick: adsOf,
    want: { answered: 1, series: [{ answered: 1 }, { answered: 0 }, { answered: 1 }] },
  },
  "region and channel together keep, per bucket, the subjects with both values at its end": {
    events: [
      ev("trust.rated", "a", "2026-01-10T00:00:00Z", { score: 10, region: "DE", channel: "web" }),
      ev("trust.rated", "a", "2026-02-10T00:00:00Z", { score: 10, channel: "app" }),
      ev("trust.rated", "a", "2026-03-10T00:00:00Z", { score: 10, channel: "web" }),
      ev("trust.rated", "b", "2026-01-10T00:00:00Z", { score: 0, region: "FR", channel: "web" }),
      ev("trust.rated", "b", "2026-03-31T23:59:59Z", { score: 0, region: "DE" }),
    ],
    metric: "trust-score",
    query: { ...Q1, region: "DE", channel: "web" },
    want: { responses: 2, series: [{ responses: 1 }, { responses: 0 }, { responses: 2 }] },
  },
  "weeks start on Monday and the first one is clipped to `from`, keeping its calendar label": {
    events: [
      granted("tue", "2026-03-03T12:00:00Z"),
      granted("wed", "2026-03-04T12:00:00Z"),
      granted("sun", "2026-03-08T23:00:00Z"),
      granted("mon", "2026-03-09T00:00:00Z"),
    ],
    metric: "opt-in",
    query: { from: "2026-03-04", to: "2026-03-23", granularity: "week" },
    pick: adsOf,
    want: {
      answered: 3,
      series: [
        { period: "2026-03-02", answered: 2 },
        { period: "2026-03-09", answered: 1 },
        { period: "2026-03-16", answered: 0 },
      ],
    },
  },
  "a month clipped by `from` counts only from `from` and is labelled with the month's start": {
    events: [
      granted("before", "2026-01-10T00:00:00Z"),
      granted("after", "2026-01-20T00:00:00Z"),
      granted("feb", "2026-02-20T00:00:00Z"),
    ],
    metric: "opt-in",
    query: { from: "2026-01-15", to: "2026-03-01", granularity: "month" },
    pick: adsOf,
    want: {
      answered: 2,
      series: [
        { period: "2026-01-01", answered: 1 },
        { period: "2026-02-01", answered: 1 },
      ],
    },
  },
  "a subject who churned stays out of the active subjects, even with later events": {
    events: [
      granted("s1", "2025-12-01T00:00:00Z"),
      ev("customer.churned", "s1", "2026-01-10T00:00:00Z"),
      granted("s1", "2026-02-10T00:00:00Z"),
      denied("s2", "2025-12-01T00:00:00Z"),
      ev("trust.rated", "s3", "2026-01-20T00:00:00Z", { score: 5 }),
    ],
    metric: "churn",
    query: Q1,
    want: {
      overall: {
        active: 2,
        churned: 1,
        churn_rate: 0.5,
        series: [{ active: 2, churned: 1 }, { active: 2, churned: 0 }, { active: 2 }],
      },
      cohorts: {
        ads: {
          granted: { active: 1, churned: 1 },
          not_granted: { active: 1, churned: 0 },
          never_asked: { active: 0, churn_rate: null },
        },
      },
    },
  },
  "the trust score takes each subject's latest rating in the period": {
    events: [
      ev("trust.rated", "s1", "2026-01-02T00:00:00Z", { score: 2 }),
      ev("trust.rated", "s1", "2026-02-02T00:00:00Z", { score: 10 }),
      ev("trust.rated", "s2", "2026-02-03T00:00:00Z", { score: 7 }),
    ],
    metric: "trust-score",
    query: Q1,
    want: {
      responses: 2,
      mean: 8.5,
      trust_score: 50,
      series: [
        { responses: 1, trust_score: -100 },
        { responses: 2, mean: 8.5, trust_score: 50 },
        { responses: 0 },
      ],
    },
  },
  "the Trust Index leaves out components without data and renormalises the others' weights": {
    events: [
      ...Array.from({ length: 40 }, (_, i) => granted(`g${i}`, "2026-01-05T00:00:00Z")),
      ...Array.from({ length: 20 }, (_, i) => denied(`d${i}`, "2026-01-05T00:00:00Z")),
      ...Array.from({ length: 30 }, (_, i) =>
        ev("trust.rated", `g${i}`, "2026-01-06T00:00:00Z", { score: 10 }),
      ),
    ],
    metric: "trust-index",
    query: { from: "2026-01-01", to: "2026-02-01" },
    want: {
      series: [
        {
          period: "2026-01-01",
          components: {
            consent: 40 / 60,
            retention: 1,
            reciprocity: null,
            minimisation: null,
            transparency: 1,
            accountability: null,
            survey: 1,
          },
          left_out: ["reciprocity", "minimisation", "accountability"],
          not_enough_data: [],
          samples: {
            consent: 60,
            retention: 40,
            reciprocity: 0,
            minimisation: 0,
            accountability: 0,
            survey: 30,
          },
          // Default weights: consent 0.2, retention 0.15, transparency 0.1, survey 0.1 of those present.
          index: (100 * (0.2 * (40 / 60) + 0.15 + 0.1 + 0.1)) / 0.55,
        },
      ],
    },
  },
  "with min_sample 30 (the dashboard's rule), a Trust Index component measured on fewer than 30 customers is not enough data, and transparency alone makes no index":
    {
      events: [
        granted("s1", "2026-01-05T00:00:00Z"),
        denied("s2", "2026-01-05T00:00:00Z"),
        ev("trust.rated", "s1", "2026-01-06T00:00:00Z", { score: 10 }),
      ],
      metric: "trust-index",
      query: { from: "2026-01-01", to: "2026-02-01", min_sample: "30" },
      want: {
        series: [
          {
            period: "2026-01-01",
            components: {
              consent: null,
              retention: null,
              reciprocity: null,
              minimisation: null,
              transparency: 1,
              accountability: null,
              survey: null,
            },
            left_out: ["consent", "retention", "reciprocity", "minimisation", "accountability", "survey"],
            not_enough_data: ["consent", "retention", "survey"],
            samples: { consent: 2, retention: 1, survey: 1 },
            index: null,
          },
        ],
      },
    },
  "without min_sample the Trust Index is SPEC's: every component with data counts, however few customers": {
    events: [
      granted("s1", "2026-01-05T00:00:00Z"),
      denied("s2", "2026-01-05T00:00:00Z"),
      ev("trust.rated", "s1", "2026-01-06T00:00:00Z", { score: 10 }),
    ],
    metric: "trust-index",
    query: { from: "2026-01-01", to: "2026-02-01" },
    want: {
      series: [
        {
          period: "2026-01-01",
          components: {
            consent: 0.5,
            retention: 1,
            reciprocity: null,
            minimisation: null,
            transparency: 1,
            accountability: null,
            survey: 1,
          },
          not_enough_data: [],
          index: (100 * (0.2 * 0.5 + 0.15 + 0.1 + 0.1)) / 0.55,
        },
      ],
    },
  },
};

test.each(Object.entries(CASES))("%s", async (_, c) => {
  const ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
  await ingest(ws.db, ws.id, c.events);
  for (const path of ["auto", "reference"] as const) {
    const response = await computeMetric(ws.db, ws.id, c.metric, c.query, { path });
    expectSame(c.want, (c.pick ?? ((r) => r))(response));
  }
});

test("a late event, arriving after the ones it precedes, changes the rollups exactly as if it had come first", async () => {
  const late = [
    granted("s1", "2026-02-05T00:00:00Z"),
    withdrawn("s1", "2026-03-05T00:00:00Z"),
    ev("customer.churned", "s1", "2026-03-20T00:00:00Z"),
  ];
  const early = [
    denied("s1", "2026-01-05T00:00:00Z"),
    collected("s1", "2026-01-05T00:00:00Z"),
    ev("trust.rated", "s1", "2026-01-06T00:00:00Z", { score: 9 }),
  ];
  const answers = [];
  for (const order of [
    [early, late],
    [late, early],
  ]) {
    const ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
    for (const batch of order) await ingest(ws.db, ws.id, batch);
    answers.push(
      await Promise.all(
        ["opt-in", "withdrawals", "churn", "trust-score"].map((m) => computeMetric(ws.db, ws.id, m, Q1)),
      ),
    );
  }
  expect(answers[1]).toEqual(answers[0]);
});

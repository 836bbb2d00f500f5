import { expect, test } from "vitest";
import { DEFAULT_END, generateSeedEvents, type SeedEvent, type SeedOptions } from "../../lib/seed/generate";
import { demoWorkspaceConfig } from "../../lib/seed/workspace-config";

const DAY = 86_400_000;
const END = DEFAULT_END.getTime();
const START = END - 365 * DAY;

const TYPES = new Set([
  "consent.granted",
  "consent.denied",
  "consent.withdrawn",
  "data.collected",
  "data.used",
  "data.deleted",
  "value.delivered",
  "customer.churned",
  "trust.rated",
  "dsar.requested",
  "dsar.completed",
]);
const KEYS = new Set([
  "id",
  "type",
  "subject",
  "occurred_at",
  "purpose",
  "field",
  "source",
  "channel",
  "region",
  "context",
  "value",
  "score",
  "request",
  "campaign",
  "properties",
]);
const VALUE_KINDS = new Set(["discount", "service", "personalisation", "content", "money", "other"]);
const NEEDS_PURPOSE = new Set([
  "consent.granted",
  "consent.denied",
  "consent.withdrawn",
  "value.delivered",
  "data.used",
]);

function take(options: SeedOptions, n: number): SeedEvent[] {
  const events: SeedEvent[] = [];
  for (const event of generateSeedEvents(options)) {
    if (events.length >= n) break;
    events.push(event);
  }
  return events;
}

function count(options: SeedOptions): number {
  let n = 0;
  const events = generateSeedEvents(options);
  while (!events.next().done) n++;
  return n;
}

function shapeErrors(e: SeedEvent): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(e)) if (!KEYS.has(key)) errors.push(`unknown key ${key}`);
  for (const [key, value] of Object.entries(e)) if (value === undefined) errors.push(`${key} is undefined`);
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(e.id)) errors.push("id");
  if (!TYPES.has(e.type)) errors.push("type");
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(e.occurred_at)) errors.push("occurred_at format");
  const at = Date.parse(e.occurred_at);
  if (!(at > START && at < END)) errors.push("occurred_at out of range");
  const bulkUse = e.type === "data.used" && e.subject === undefined;
  if (!bulkUse && (e.subject === undefined || e.subject.length < 1 || e.subject.length > 128))
    errors.push("subject");
  if (e.subject !== undefined && (/@/.test(e.subject) || /^\+?[0-9 ().\-/]{7,}$/.test(e.subject)))
    errors.push("subject is contact-shaped");
  if (NEEDS_PURPOSE.has(e.type) && !e.purpose) errors.push("purpose");
  if (e.type.startsWith("data.") && !e.field) errors.push("field");
  if ((e.type === "value.delivered") !== (e.value !== undefined)) errors.push("value");
  if (e.value && (!VALUE_KINDS.has(e.value.kind) || (e.value.amount !== undefined && !(e.value.amount >= 0))))
    errors.push("value content");
  if (e.value?.amount !== undefined && e.value.currency !== "EUR") errors.push("currency");
  if ((e.type === "trust.rated") !== (e.score !== undefined)) errors.push("score");
  if (e.score !== undefined && !(Number.isInteger(e.score) && e.score >= 0 && e.score <= 10))
    errors.push("score range");
  if (e.type.startsWith("dsar.") !== (e.request !== undefined)) errors.push("request");
  if (e.region !== undefined && !/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(e.region)) errors.push("region");
  return errors;
}

interface Summary {
  events: SeedEvent[];
  subjects: Set<string>;
  withdrew: Set<string>;
  churned: Set<string>;
  latestAnswer: Map<string, Map<string, { at: string; granted: boolean }>>;
}

let cached: Summary | undefined;
/** One 200,000-event run shared by the story tests; unique ids only, as ingestion would keep them. */
function summary(): Summary {
  if (cached) return cached;
  const seen = new Set<string>();
  const s: Summary = {
    events: [],
    subjects: new Set(),
    withdrew: new Set(),
    churned: new Set(),
    latestAnswer: new Map(),
  };
  for (const e of generateSeedEvents({ events: 200_000 })) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    s.events.push(e);
    if (!e.subject) continue;
    s.subjects.add(e.subject);
    if (e.type === "consent.withdrawn") s.withdrew.add(e.subject);
    if (e.type === "customer.churned") s.churned.add(e.subject);
    if ((e.type === "consent.granted" || e.type === "consent.denied") && e.purpose) {
      const answers = s.latestAnswer.get(e.purpose) ?? new Map<string, { at: string; granted: boolean }>();
      s.latestAnswer.set(e.purpose, answers);
      const previous = answers.get(e.subject);
      if (!previous || previous.at <= e.occurred_at)
        answers.set(e.subject, { at: e.occurred_at, granted: e.type === "consent.granted" });
    }
  }
  cached = s;
  return s;
}

function optInRate(purpose: string): number {
  const answers = [...(summary().latestAnswer.get(purpose)?.values() ?? [])];
  return answers.filter((a) => a.granted).length / answers.length;
}

/** Reciprocity per calendar month (SPEC section 4), pooled over the 12 months. */
function monthlyReciprocity(purpose: string): number {
  const used = new Map<string, Set<string>>();
  const valued = new Map<string, Set<string>>();
  for (const e of summary().events) {
    if (e.purpose !== purpose || !e.subject) continue;
    const bucket = e.type === "data.used" ? used : e.type === "value.delivered" ? valued : undefined;
    if (!bucket) continue;
    const month = e.occurred_at.slice(0, 7);
    const subjects = bucket.get(month) ?? new Set<string>();
    bucket.set(month, subjects);
    subjects.add(e.subject);
  }
  let usedCount = 0;
  let rewarded = 0;
  for (const [month, subjects] of used) {
    usedCount += subjects.size;
    for (const subject of subjects) if (valued.get(month)?.has(subject)) rewarded++;
  }
  return rewarded / usedCount;
}

test("the same options always give the same events", () => {
  const a = take({ events: 50_000, seed: 7 }, 1000);
  const b = take({ events: 50_000, seed: 7 }, 1000);
  expect(a).toHaveLength(1000);
  expect(b).toEqual(a);
  expect(take({ events: 50_000 }, 1000)).toEqual(take({ events: 50_000, seed: 42, end: DEFAULT_END }, 1000));
});

test("a different seed gives different events", () => {
  expect(take({ events: 10_000, seed: 1 }, 100)).not.toEqual(take({ events: 10_000, seed: 2 }, 100));
});

test.each([20_000, 200_000])("asking for %i events yields that many, within two percent", (n) => {
  const produced = count({ events: n });
  expect(Math.abs(produced - n) / n).toBeLessThanOrEqual(0.02);
});

test("events are streamed lazily: the first ones of ten million come at once", () => {
  const started = performance.now();
  expect(take({ events: 10_000_000 }, 100)).toHaveLength(100);
  expect(performance.now() - started).toBeLessThan(1000);
});

test("every event has the fields its type requires and a pseudonymous subject, within the 12 months before end", () => {
  const bad = summary()
    .events.map((e) => ({ e, errors: shapeErrors(e) }))
    .filter(({ errors }) => errors.length > 0);
  expect(bad.slice(0, 3)).toEqual([]);
});

test("the end option moves the whole 12-month window", () => {
  const end = new Date("2025-03-01T00:00:00Z");
  for (const e of take({ events: 20_000, end }, 20_000)) {
    const at = Date.parse(e.occurred_at);
    expect(at).toBeLessThan(end.getTime());
    expect(at).toBeGreaterThan(end.getTime() - 365 * DAY);
  }
});

test("there is about one customer per 25 events, with ids like cus_<n> and seed-<n>", () => {
  const { subjects, events } = summary();
  expect(subjects.size).toBeGreaterThan(200_000 / 30);
  expect(subjects.size).toBeLessThan(200_000 / 20);
  expect([...subjects].every((s) => /^cus_\d+$/.test(s))).toBe(true);
  expect(events.every((e) => /^seed-\d+$/.test(e.id))).toBe(true);
});

test("like a real feed, about 0.2% of events arrive twice with the same id and content, and arrival is not time order", () => {
  const byId = new Map<string, SeedEvent>();
  let duplicates = 0;
  let identical = true;
  let outOfOrder = 0;
  let previous = "";
  for (const e of generateSeedEvents({ events: 200_000 })) {
    const first = byId.get(e.id);
    if (first) {
      duplicates++;
      identical &&= JSON.stringify(first) === JSON.stringify(e);
    } else byId.set(e.id, e);
    if (e.occurred_at < previous) outOfOrder++;
    previous = e.occurred_at;
  }
  expect(duplicates / 200_000).toBeGreaterThan(0.001);
  expect(duplicates / 200_000).toBeLessThan(0.004);
  expect(identical).toBe(true);
  expect(outOfOrder).toBeGreaterThan(1000);
});

test("birthday is collected from almost every customer, asked with its journey step, and used for few of them, months later", () => {
  const { events, subjects } = summary();
  const collections = events.filter((e) => e.type === "data.collected" && e.field === "birthday");
  const withBirthday = new Set(collections.map((e) => e.subject));
  expect(withBirthday.size / subjects.size).toBeGreaterThan(0.85);
  expect(new Set(collections.map((e) => e.context))).toEqual(new Set(["signup", "checkout", "profile"]));
  const uses = events.filter((e) => e.type === "data.used" && e.field === "birthday");
  const used = new Set(uses.map((e) => e.subject));
  // The birthday discount: a minority, for personalised offers only, well after the collection.
  expect(used.size / withBirthday.size).toBeGreaterThan(0.03);
  expect(used.size / withBirthday.size).toBeLessThan(0.2);
  expect(new Set(uses.map((e) => e.purpose))).toEqual(new Set(["personalised-offers"]));
  const collectedAt = new Map(collections.map((e) => [e.subject, Date.parse(e.occurred_at)]));
  expect(
    uses.every((e) => Date.parse(e.occurred_at) - (collectedAt.get(e.subject) ?? 0) >= 19 * 86_400_000),
  ).toBe(true);
});

test("opt-outs come through the named channels, data requests are sometimes late, and preference-centre users churn less", () => {
  const { events } = summary();
  const sources = new Set(events.filter((e) => e.type === "consent.withdrawn").map((e) => e.source));
  for (const s of [
    "unsubscribe",
    "preference_center",
    "gpc",
    "do_not_sell",
    "dmachoice",
    "do_not_call",
    "daa_webchoices",
    "daa_appchoices",
    "nai_optout",
  ])
    expect(sources).toContain(s);
  const requested = new Map(
    events
      .filter((e) => e.type === "dsar.requested")
      .map((e) => [`${e.subject}|${e.request}`, Date.parse(e.occurred_at)]),
  );
  const days = events
    .filter((e) => e.type === "dsar.completed")
    .map((e) => (Date.parse(e.occurred_at) - (requested.get(`${e.subject}|${e.request}`) ?? 0)) / 86_400_000);
  expect(days.filter((d) => d > 30).length / days.length).toBeGreaterThan(0.05);
  expect(days.filter((d) => d > 30).length / days.length).toBeLessThan(0.3);
  const control = new Set(
    events
      .filter((e) => e.type.startsWith("consent.") && e.source === "preference_center")
      .map((e) => e.subject),
  );
  const churned = new Set(events.filter((e) => e.type === "customer.churned").map((e) => e.subject));
  const everyone = new Set(events.flatMap((e) => (e.subject ? [e.subject] : [])));
  const rate = (group: string[]) => group.filter((s) => churned.has(s)).length / group.length;
  expect(rate([...everyone].filter((s) => control.has(s)))).toBeLessThan(
    0.8 * rate([...everyone].filter((s) => !control.has(s))),
  );
});

test("data-sharing is mostly refused while order-updates is mostly accepted (latest answer per customer)", () => {
  expect(optInRate("data-sharing")).toBeLessThan(0.3);
  expect(optInRate("order-updates")).toBeGreaterThan(0.75);
  for (const purpose of ["personalised-offers", "ads", "analytics"]) {
    expect(optInRate(purpose)).toBeGreaterThan(0.35);
    expect(optInRate(purpose)).toBeLessThan(0.7);
  }
});

test("personalised-offers opt-in improves from the first quarter to the last", () => {
  const asked = (fromMonth: number, toMonth: number) => {
    let answered = 0;
    let granted = 0;
    for (const e of summary().events) {
      if (
        e.purpose !== "personalised-offers" ||
        (e.type !== "consent.granted" && e.type !== "consent.denied")
      )
        continue;
      const month = Math.floor((Date.parse(e.occurred_at) - START) / (DAY * 30.42));
      if (month < fromMonth || month >= toMonth) continue;
      answered++;
      if (e.type === "consent.granted") granted++;
    }
    return granted / answered;
  };
  expect(asked(9, 12) - asked(0, 3)).toBeGreaterThan(0.1);
});

test("ads and analytics are rarely rewarded while order-updates and personalised-offers mostly are", () => {
  expect(monthlyReciprocity("ads")).toBeLessThan(0.15);
  expect(monthlyReciprocity("analytics")).toBeLessThan(0.15);
  expect(monthlyReciprocity("order-updates")).toBeGreaterThan(0.6);
  expect(monthlyReciprocity("personalised-offers")).toBeGreaterThan(0.6);
});

test("customers who withdraw a consent churn at least 2.5 times as often as the others", () => {
  const { subjects, withdrew, churned } = summary();
  const churnedWithdrawers = [...withdrew].filter((s) => churned.has(s)).length;
  const churnedOthers = [...churned].filter((s) => !withdrew.has(s)).length;
  const withdrawerRate = churnedWithdrawers / withdrew.size;
  const otherRate = churnedOthers / (subjects.size - withdrew.size);
  expect(withdrew.size).toBeGreaterThan(500);
  expect(withdrawerRate).toBeGreaterThanOrEqual(2.5 * otherRate);
});

test("churn after a withdrawal mostly comes within eight weeks of it", () => {
  const firstWithdrawal = new Map<string, number>();
  const churnAt = new Map<string, number>();
  for (const e of summary().events) {
    if (!e.subject) continue;
    const at = Date.parse(e.occurred_at);
    if (e.type === "consent.withdrawn")
      firstWithdrawal.set(e.subject, Math.min(at, firstWithdrawal.get(e.subject) ?? Infinity));
    if (e.type === "customer.churned") churnAt.set(e.subject, at);
  }
  const gaps = [...firstWithdrawal].flatMap(([s, at]) => {
    const churned = churnAt.get(s);
    return churned === undefined ? [] : [churned - at];
  });
  expect(gaps.filter((gap) => gap >= 0 && gap <= 56 * DAY).length / gaps.length).toBeGreaterThan(0.8);
});

test("customers who got value back rate trust high and those who withdrew rate it low", () => {
  const valuedAt = new Map<string, number>();
  const withdrewAt = new Map<string, number>();
  for (const e of summary().events) {
    if (!e.subject) continue;
    const at = Date.parse(e.occurred_at);
    if (e.type === "value.delivered")
      valuedAt.set(e.subject, Math.min(at, valuedAt.get(e.subject) ?? Infinity));
    if (e.type === "consent.withdrawn")
      withdrewAt.set(e.subject, Math.min(at, withdrewAt.get(e.subject) ?? Infinity));
  }
  const rewarded: number[] = [];
  const withdrawn: number[] = [];
  for (const e of summary().events) {
    if (e.type !== "trust.rated" || !e.subject || e.score === undefined) continue;
    const at = Date.parse(e.occurred_at);
    if ((withdrewAt.get(e.subject) ?? Infinity) <= at) withdrawn.push(e.score);
    else if ((valuedAt.get(e.subject) ?? Infinity) <= at) rewarded.push(e.score);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(mean(rewarded)).toBeGreaterThan(8);
  expect(mean(withdrawn)).toBeLessThan(5);
});

test("one purpose and one field occur in events but are missing from the workspace config", () => {
  const declaredPurposes = new Set(demoWorkspaceConfig.purposes.map((p) => p.key));
  const declaredFields = new Set(demoWorkspaceConfig.fields.map((f) => f.key));
  const { events } = summary();
  const undeclaredPurposes = new Set(
    events.flatMap((e) => (e.purpose && !declaredPurposes.has(e.purpose) ? [e.purpose] : [])),
  );
  const undeclaredFields = new Set(
    events.flatMap((e) => (e.field && !declaredFields.has(e.field) ? [e.field] : [])),
  );
  expect([...undeclaredPurposes]).toEqual(["partner-research"]);
  expect([...undeclaredFields]).toEqual(["device-id"]);
  expect(declaredPurposes).toEqual(
    new Set(["order-updates", "personalised-offers", "ads", "analytics", "data-sharing"]),
  );
  expect(declaredFields).toEqual(
    new Set(["email", "birthday", "mobile-number", "location", "purchase-history"]),
  );
  for (const field of demoWorkspaceConfig.fields)
    for (const purpose of field.purposes) expect(declaredPurposes.has(purpose)).toBe(true);
});

test("weekly bulk uses of e-mail for order-updates carry no subject", () => {
  const bulk = summary().events.filter((e) => e.type === "data.used" && e.subject === undefined);
  expect(bulk.length).toBeGreaterThanOrEqual(50);
  expect(bulk.every((e) => e.field === "email" && e.purpose === "order-updates")).toBe(true);
});

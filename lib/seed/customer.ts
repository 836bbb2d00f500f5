import {
  CURRENCY,
  CHANNELS,
  FIELDS,
  optInChance,
  PURPOSES,
  REGIONS,
  type AskContext,
  type Channel,
  type FieldKey,
  type PurposeProfile,
  type Region,
} from "./demo-profiles";
import { between, chance, exponential, intBetween, weighted, type Random } from "./random";
import type { SeedDsarRequest, SeedFact, TimedFact } from "./seed-event";

export const SECOND = 1000;
export const HOUR = 3600 * SECOND;
export const DAY = 24 * HOUR;

export interface SeedWindow {
  start: number;
  end: number;
}

interface Answer {
  at: number;
  granted: boolean;
  context: AskContext;
  source: string;
}

interface ConsentStory {
  purpose: PurposeProfile;
  answers: Answer[];
  withdrawal?: { at: number; source: string };
}

interface Customer {
  subject: string;
  firstSeen: number;
  region: Region;
  channel: Channel;
}

const CHURN_AFTER_WITHDRAWAL = 0.42;
const CHURN_OTHERWISE = 0.11;
const REASK_SHARE = 0.12;
const DSAR_SHARE = 0.05;
/** Data requests that take longer than the 30 days they are due in. */
const LATE_DSAR_SHARE = 0.15;
/** Customers who visit the preference centre early on and restate their choices there … */
const PREFERENCE_VISIT_SHARE = 0.3;
/** … and customers who used the preference centre at all churn less (the control-effect story: an association the Churn screen shows). */
const CONTROL_CHURN_FACTOR = 0.45;
/** Customers who said yes to personalised offers and get a birthday discount: a birthday asked at sign-up, used months later. */
const BIRTHDAY_USE_SHARE = 0.35;
const EXISTING_BASE_SHARE = 0.12;

function isGranted(story: ConsentStory, t: number): boolean {
  let granted = false;
  let latest = -Infinity;
  for (const answer of story.answers) {
    if (answer.at <= t && answer.at >= latest) {
      latest = answer.at;
      granted = answer.granted;
    }
  }
  if (story.withdrawal && story.withdrawal.at <= t && story.withdrawal.at >= latest) granted = false;
  return granted;
}

/**
 * Existing customers show up in the first weeks, when the feed was connected; after that more
 * customers arrive late in the year than early, so the charts show growth.
 */
function firstSeenAt(rng: Random, { start, end }: SeedWindow): number {
  if (chance(rng, EXISTING_BASE_SHARE)) return start + HOUR + rng() * 30 * DAY;
  const u = rng();
  const position = rng() < 0.4 ? Math.sqrt(u) : u;
  return start + HOUR + position * (end - start - 2 * HOUR);
}

function askConsent(
  rng: Random,
  customer: Customer,
  purpose: PurposeProfile,
  window: SeedWindow,
  journey: AskContext,
): ConsentStory {
  const { region, channel, firstSeen } = customer;
  const progress = (t: number) => (t - window.start) / (window.end - window.start);
  const bannerShown = channel === "web" || channel === "app";
  const context: AskContext = purpose.askedInBanner && bannerShown ? "banner" : journey;
  const askedAt = firstSeen + intBetween(rng, 5, 900) * SECOND;
  const first = {
    at: askedAt,
    granted: chance(rng, optInChance(purpose, progress(askedAt), context, region, channel)),
    context,
    source: "cmp",
  };
  const story: ConsentStory = { purpose, answers: [first] };

  if (chance(rng, REASK_SHARE)) {
    const at = askedAt + between(rng, 30, 240) * DAY;
    const again: AskContext = bannerShown && chance(rng, 0.5) ? "banner" : "preference_center";
    // Most people give the same answer when asked again.
    const granted = chance(rng, 0.7)
      ? first.granted
      : chance(rng, optInChance(purpose, progress(at), again, region, channel));
    if (at < window.end)
      story.answers.push({
        at,
        granted,
        context: again,
        source: again === "banner" ? "cmp" : "preference_center",
      });
  }

  const firstYes = story.answers.find((answer) => answer.granted);
  if (firstYes && chance(rng, purpose.withdrawal)) {
    const at = firstYes.at + 3 * DAY + exponential(rng, 110 * DAY);
    const source = weighted(rng, purpose.withdrawalSources(region));
    if (at < window.end && isGranted(story, at)) story.withdrawal = { at, source };
  }
  return story;
}

function trustScore(rng: Random, facts: readonly TimedFact[], at: number): number {
  let withdrew = false;
  let valued = false;
  for (const { at: factAt, fact } of facts) {
    if (factAt > at) break;
    if (fact.type === "consent.withdrawn") withdrew = true;
    if (fact.type === "value.delivered") valued = true;
  }
  const score = !withdrew && valued ? intBetween(rng, 8, 10) : intBetween(rng, 2, 6);
  const noise = chance(rng, 0.06) ? (chance(rng, 0.5) ? 1 : -1) : 0;
  return Math.min(10, Math.max(0, score + noise));
}

/** One customer's whole year as timed facts, in time order except for a rare late-arriving pair. */
export function customerStory(rng: Random, subject: string, window: SeedWindow): TimedFact[] {
  const { end } = window;
  const customer: Customer = {
    subject,
    firstSeen: firstSeenAt(rng, window),
    region: weighted(rng, REGIONS),
    channel: weighted(rng, CHANNELS),
  };
  const { firstSeen, region, channel } = customer;
  const journey: AskContext =
    channel === "store"
      ? weighted<AskContext>(rng, [
          ["checkout", 70],
          ["signup", 30],
        ])
      : weighted<AskContext>(rng, [
          ["signup", 55],
          ["checkout", 45],
        ]);

  const stories = PURPOSES.filter((purpose) => chance(rng, purpose.askedShare)).map((purpose) =>
    askConsent(rng, customer, purpose, window, journey),
  );

  const withdrawals = stories.flatMap((story) => (story.withdrawal ? [story.withdrawal.at] : []));
  const preferenceVisit = chance(rng, PREFERENCE_VISIT_SHARE)
    ? firstSeen + between(rng, 10, 90) * DAY
    : undefined;
  const usedControl =
    preferenceVisit !== undefined ||
    stories.some(
      (story) =>
        story.withdrawal?.source === "preference_center" ||
        story.answers.some((answer) => answer.source === "preference_center"),
    );
  const churnFactor = usedControl ? CONTROL_CHURN_FACTOR : 1;
  let churnAt: number | undefined;
  if (withdrawals.length > 0) {
    if (chance(rng, CHURN_AFTER_WITHDRAWAL * churnFactor))
      churnAt = Math.min(...withdrawals) + 2 * DAY + exponential(rng, 18 * DAY);
  } else if (chance(rng, CHURN_OTHERWISE * churnFactor)) {
    churnAt = firstSeen + 21 * DAY + rng() * Math.max(0, end - firstSeen - 21 * DAY);
  }
  if (churnAt !== undefined && churnAt >= end) churnAt = undefined;

  const facts: TimedFact[] = [];
  const lifeEnd = () => churnAt ?? end;
  const add = (at: number, fact: SeedFact) => {
    if (at < lifeEnd()) facts.push({ at, fact });
  };

  let deletedAt: number | undefined;
  if (chance(rng, DSAR_SHARE)) {
    const request = weighted<SeedDsarRequest>(rng, [
      ["access", 60],
      ["deletion", 30],
      ["portability", 10],
    ]);
    const requestedAt = firstSeen + between(rng, 7, 200) * DAY;
    const completedAt =
      requestedAt + (chance(rng, LATE_DSAR_SHARE) ? between(rng, 31, 75) : between(rng, 1, 28)) * DAY;
    const completed = chance(rng, 0.92) && completedAt < lifeEnd();
    add(requestedAt, { type: "dsar.requested", subject, request, source: "dsar" });
    if (completed) {
      add(completedAt, { type: "dsar.completed", subject, request, source: "dsar" });
      if (request === "deletion") {
        deletedAt = completedAt;
        const leavesAt = completedAt + between(rng, 1, 10) * DAY;
        if (churnAt === undefined && chance(rng, 0.5) && leavesAt < end) churnAt = leavesAt;
      }
    }
  }

  for (const story of stories) {
    const { purpose } = story;
    for (const answer of story.answers) {
      add(answer.at, {
        type: answer.granted ? "consent.granted" : "consent.denied",
        subject,
        purpose: purpose.key,
        source: answer.source,
        channel,
        region,
        context: answer.context,
      });
    }
    if (story.withdrawal) {
      add(story.withdrawal.at, {
        type: "consent.withdrawn",
        subject,
        purpose: purpose.key,
        source: story.withdrawal.source,
        channel,
        region,
      });
    }
    // A visit to the preference centre restates each choice still granted then.
    if (preferenceVisit !== undefined && isGranted(story, preferenceVisit)) {
      add(preferenceVisit, {
        type: "consent.granted",
        subject,
        purpose: purpose.key,
        source: "preference_center",
        channel,
        region,
        context: "preference_center",
      });
    }
  }

  const grantedAtSignup = new Set(
    stories.filter((story) => story.answers[0]?.granted).map((story) => story.purpose.key),
  );
  const collectedAt = new Map<FieldKey, number>();
  for (const field of FIELDS) {
    if (!chance(rng, field.collectedShare(channel, grantedAtSignup))) continue;
    const at = firstSeen + between(rng, 0, 2 * DAY);
    collectedAt.set(field.key, at);
    // Asked where the customer signed up or first bought, some later on their profile page.
    add(at, {
      type: "data.collected",
      subject,
      field: field.key,
      context: chance(rng, 0.2) ? "profile" : journey,
    });
  }
  const holds = (field: FieldKey, t: number): boolean => {
    const collected = collectedAt.get(field);
    return collected !== undefined && collected <= t && (deletedAt === undefined || t < deletedAt);
  };
  for (const field of FIELDS) {
    const rate = field.refreshesPerMonth(channel);
    const collected = collectedAt.get(field.key);
    if (rate <= 0 || collected === undefined) continue;
    const meanGap = (30 * DAY) / rate;
    for (
      let t = collected + exponential(rng, meanGap);
      t < lifeEnd() && holds(field.key, t);
      t += exponential(rng, meanGap)
    ) {
      add(t, { type: "data.collected", subject, field: field.key, context: "profile" });
    }
  }
  const birthday = collectedAt.get("birthday");
  if (
    birthday !== undefined &&
    grantedAtSignup.has("personalised-offers") &&
    chance(rng, BIRTHDAY_USE_SHARE)
  ) {
    const at = birthday + between(rng, 20, 340) * DAY;
    if (holds("birthday", at)) {
      add(at, { type: "data.used", subject, purpose: "personalised-offers", field: "birthday" });
      add(at + HOUR, {
        type: "value.delivered",
        subject,
        purpose: "personalised-offers",
        value: { kind: "discount", amount: 10, currency: CURRENCY },
      });
    }
  }
  if (deletedAt !== undefined) {
    for (const [field, collected] of collectedAt) {
      if (collected < deletedAt) add(deletedAt, { type: "data.deleted", subject, field, source: "dsar" });
    }
  }

  for (const story of stories) {
    const { purpose } = story;
    const meanGap = (30 * DAY) / purpose.usesPerMonth;
    for (let t = firstSeen + exponential(rng, meanGap); t < lifeEnd(); t += exponential(rng, meanGap)) {
      if (!isGranted(story, t)) continue;
      let used = false;
      for (const field of purpose.usedFields) {
        if (!holds(field, t)) continue;
        add(t, { type: "data.used", subject, purpose: purpose.key, field });
        used = true;
      }
      if (used && chance(rng, purpose.valueChance)) {
        add(t + between(rng, 0, 3 * DAY), {
          type: "value.delivered",
          subject,
          purpose: purpose.key,
          value: purpose.value(rng),
        });
      }
    }
  }

  facts.sort((a, b) => a.at - b.at);
  const ratings = chance(rng, 0.4) ? (chance(rng, 0.3) ? 2 : 1) : 0;
  const surveyFrom = firstSeen + 10 * DAY;
  for (let i = 0; i < ratings && surveyFrom < lifeEnd(); i++) {
    const at = between(rng, surveyFrom, lifeEnd());
    add(at, { type: "trust.rated", subject, score: trustScore(rng, facts, at) });
  }
  if (churnAt !== undefined) facts.push({ at: churnAt, fact: { type: "customer.churned", subject } });
  facts.sort((a, b) => a.at - b.at);

  // A real feed delivers some events late: swap one adjacent pair now and then.
  if (facts.length > 1 && chance(rng, 0.05)) {
    const i = intBetween(rng, 0, facts.length - 2);
    const a = facts[i];
    const b = facts[i + 1];
    if (a && b) {
      facts[i] = b;
      facts[i + 1] = a;
    }
  }
  return facts;
}

import { ceilDayNumber, DAY_MS, dayNumber, monthNumber } from "../buckets";
import { ANSWER_EVENTS, CHURN_EVENT, CONSENT_EVENTS, LISTED_EVENTS } from "../rules/event-types";
import type { RollupGrain } from "../plan";
import { amountDim, amountGroups, deliveriesDim } from "./amounts";
import {
  anyRun,
  both,
  coOccurrence,
  emitAll,
  firstMarkIs,
  lastIntersecting,
  marksToRuns,
  mergeRuns,
  minus,
  NEG_INF,
  POS_INF,
  type Emit,
} from "./intervals";
import {
  CHURN_MEASURES,
  COHORT_MEASURES,
  CONTROL_MEASURES,
  DSAR_MEASURES,
  FAIR_EXCHANGE_MEASURES,
  NO_VALUE,
  UNKNOWN_SOURCE,
  SUPPRESSED_MEASURE,
  suppressionDim,
  WITHDRAWN_BY_SOURCE,
  DAY_PROJECTIONS,
  contextDim,
  DORMANT_MEASURE,
  HOLDING_MEASURE,
  OPT_IN_MEASURES,
  RANGE_MEASURES,
  RECIPROCITY_MEASURES,
  SUBJECT_USE_MEASURE,
  TRUST_MEASURE,
  VALUE_AMOUNT_MEASURE,
  WITHDRAWAL_MEASURES,
} from "./measures";

/** One stored event of a subject, as the rollups need it. */
export interface MetricEvent {
  subject: string | null;
  type: string;
  purpose: string | null;
  field: string | null;
  context: string | null;
  score: number | null;
  /** occurred_at, epoch milliseconds */
  t: number;
  seq: number;
  amount: string | null;
  currency: string | null;
  source: string | null;
  /** value.kind */
  kind: string | null;
  /** dsar request type */
  request: string | null;
  /** The subject's region and channel as this event gives them (null: unchanged). */
  region?: string | null;
  channel?: string | null;
}

/** The workspace settings some rollup rows are built with (recorded in metric_state, SPEC 4). */
export interface RollupSettings {
  dsarDueDays: number;
  controlSources: readonly string[];
}
export const DEFAULT_ROLLUP_SETTINGS: RollupSettings = {
  dsarDueDays: 30,
  controlSources: ["preference_center"],
};

export interface TallyRow {
  grain: RollupGrain | (typeof DAY_PROJECTIONS)[keyof typeof DAY_PROJECTIONS];
  measure: string;
  key: string;
  dim: string;
  x: number;
  y: number;
  z: number;
  n: number;
}

/**
 * A row of `metric_tally_attr`: a tally row for the subjects whose (region, channel) — '' for
 * none yet — is this pair at a query's last unit b, when vf <= b < vt.
 */
export interface AttributedRow extends TallyRow {
  region: string;
  channel: string;
  vf: number;
  vt: number;
}

export const isAttributed = (r: TallyRow): r is AttributedRow => "vf" in r;

type Bucket = (ms: number) => number;
const GRAINS: [RollupGrain, Bucket][] = [
  ["day", dayNumber],
  ["month", monthNumber],
];

const byOrder = (a: MetricEvent, b: MetricEvent) => a.t - b.t || a.seq - b.seq;
const CONSENT = new Set<string>(CONSENT_EVENTS);
const ANSWER = new Set<string>(ANSWER_EVENTS);
const LISTED = new Set<string>(LISTED_EVENTS);

/** Sorted distinct buckets of the events, with the value of the last event in each (event order). */
function lastPerBucket<T>(
  events: MetricEvent[],
  bucket: Bucket,
  value: (e: MetricEvent) => T,
): { marks: number[]; values: T[] } {
  const by = new Map<number, T>();
  for (const e of events) by.set(bucket(e.t), value(e));
  const marks = [...by.keys()].sort((a, b) => a - b);
  return { marks, values: marks.map((m) => by.get(m) as T) };
}

const marksOf = (events: MetricEvent[], bucket: Bucket): number[] =>
  lastPerBucket(events, bucket, () => 0).marks;

/** Sorted distinct buckets of the events, with the value of the first event in each (event order). */
function firstPerBucket<T>(
  events: MetricEvent[],
  bucket: Bucket,
  value: (e: MetricEvent) => T,
): { marks: number[]; values: T[] } {
  const by = new Map<number, T>();
  for (const e of events) if (!by.has(bucket(e.t))) by.set(bucket(e.t), value(e));
  const marks = [...by.keys()].sort((a, b) => a - b);
  return { marks, values: marks.map((m) => by.get(m) as T) };
}

/** A data subject request, or a completion with none open (`requested` null). */
interface RequestPair {
  request: string;
  requested: number | null;
  completed: number | null;
}

/**
 * SPEC 4: in event order, a completion closes the earliest still-open request of the same type
 * that comes before it; a completion with nothing open is unmatched.
 */
export function pairRequests(events: MetricEvent[]): RequestPair[] {
  const out: RequestPair[] = [];
  const open = new Map<string, RequestPair[]>();
  for (const e of events) {
    if (e.request === null) continue;
    if (e.type === "dsar.requested") {
      const pair = { request: e.request, requested: e.t, completed: null };
      out.push(pair);
      open.set(e.request, [...(open.get(e.request) ?? []), pair]);
    } else if (e.type === "dsar.completed") {
      const pending = open.get(e.request) ?? [];
      const first = pending.shift();
      if (first) first.completed = e.t;
      else out.push({ request: e.request, requested: null, completed: e.t });
    }
  }
  return out;
}

function dsarRows(pairs: RequestPair[], dueDays: number, bucket: Bucket, emitter: Emitter): void {
  for (const p of pairs) {
    const at = (measure: string, b: number, n = 1, dim = "") => emitter(measure, p.request, dim)(b, b, n);
    if (p.requested === null) {
      at(DSAR_MEASURES.unmatched, bucket(p.completed as number));
      continue;
    }
    const due = p.requested + dueDays * DAY_MS;
    const r = bucket(p.requested);
    const d = bucket(due);
    at(DSAR_MEASURES.opened, r);
    at(DSAR_MEASURES.due, d);
    const open = emitter(DSAR_MEASURES.open, p.request, "");
    const overdue = emitter(DSAR_MEASURES.overdue, p.request, "");
    open(POS_INF, r, 1);
    overdue(POS_INF, d, 1);
    if (p.completed !== null) {
      const c = bucket(p.completed);
      at(DSAR_MEASURES.completed, c, 1, String(p.completed - p.requested));
      if (p.completed <= due) at(DSAR_MEASURES.onTime, d);
      open(POS_INF, c, -1);
      overdue(POS_INF, Math.max(c, d), -1);
    }
  }
}

/** Intervals of constant consent state, split where the state changes: [start, end) in ms, end ∞ for the last. */
function consentSpans(consent: MetricEvent[]): { state: string; start: number; end: number }[] {
  const spans: { state: string; start: number; end: number }[] = [];
  for (const e of consent) {
    const last = spans[spans.length - 1];
    if (last && last.state === e.type) continue;
    if (last) last.end = e.t;
    spans.push({ state: e.type, start: e.t, end: Infinity });
  }
  return spans;
}

/**
 * The rollup rows of one subject, from all of its events (and each field's dormancy window). Ingestion adds the rows of the subject's
 * events after a batch and subtracts those before it, so an event that arrives late, out of
 * order, changes exactly the rows it should.
 */
export function subjectContributions(
  unsorted: MetricEvent[],
  dormancyDays: ReadonlyMap<string, number>,
  settings: RollupSettings = DEFAULT_ROLLUP_SETTINGS,
): TallyRow[] {
  if (!unsorted.length) return [];
  const events = [...unsorted].sort(byOrder);
  const out: TallyRow[] = [];
  const byPurpose = new Map<string, MetricEvent[]>();
  const byField = new Map<string, MetricEvent[]>();
  for (const e of events) {
    if (e.purpose) byPurpose.set(e.purpose, [...(byPurpose.get(e.purpose) ?? []), e]);
    if (e.field) byField.set(e.field, [...(byField.get(e.field) ?? []), e]);
  }
  const firstAt = (events[0] as MetricEvent).t;
  const churnedAt = events.find((e) => e.type === CHURN_EVENT)?.t;
  const controlAt = events.find(
    (e) => CONSENT.has(e.type) && e.source !== null && settings.controlSources.includes(e.source),
  )?.t;
  const requests = pairRequests(events);

  for (const [grain, bucket] of GRAINS) {
    const emitter =
      (measure: string, key: string, dim: string, z = 0): Emit =>
      (x, y, n) =>
        out.push({ grain, measure, key, dim, x, y, z, n });
    const churnBucket = churnedAt === undefined ? POS_INF : bucket(churnedAt);
    activeRows(
      bucket(firstAt),
      churnBucket,
      churnBucket,
      emitter(CHURN_MEASURES.active, "", ""),
      emitter(CHURN_MEASURES.churned, "", ""),
    );
    if (controlAt !== undefined) {
      const y = Math.max(bucket(firstAt), bucket(controlAt));
      activeRows(
        y,
        churnBucket,
        churnBucket,
        emitter(CONTROL_MEASURES.active, "", ""),
        emitter(CONTROL_MEASURES.churned, "", "", churnBucket),
      );
    }
    dsarRows(requests, settings.dsarDueDays, bucket, emitter);

    const ratings = lastPerBucket(
      events.filter((e) => e.type === "trust.rated"),
      bucket,
      (e) => String(e.score),
    );
    const ratingRuns = marksToRuns(ratings.marks);
    for (const score of new Set(ratings.values))
      lastIntersecting(ratingRuns, emitter(TRUST_MEASURE, "", score), (j) => ratings.values[j] === score);

    for (const [purpose, own] of byPurpose) {
      purposeRows(own, purpose, bucket, emitter);
      cohortRows(own, purpose, bucket, bucket(firstAt), churnBucket, emitter);
    }
  }
  for (const [field, own] of byField) {
    const emit =
      (measure: string): Emit =>
      (x, y, n) =>
        out.push({ grain: "day", measure, key: field, dim: "", x, y, z: 0, n });
    holdingRows(own, dormancyDays.get(field), emit(HOLDING_MEASURE), emit(DORMANT_MEASURE));
  }
  const attributed = attributedRows(events, [...out, ...filteredOnlyRows(events)]);
  // Unfiltered only, so after the attributed copies.
  const suppressed: TallyRow[] = [];
  for (const [purpose, own] of byPurpose)
    suppressionRows(
      own,
      (dim) => (x, y, n) =>
        suppressed.push({ grain: "day", measure: SUPPRESSED_MEASURE, key: purpose, dim, x, y, z: 0, n }),
    );
  return [
    ...out,
    ...out.flatMap(projections),
    ...attributed,
    ...attributed.flatMap(projections),
    ...suppressed,
  ];
}

/**
 * The purpose's suppression list (SUPPRESSED_MEASURE): each consent event that denies or withdraws holds from the
 * first day boundary at or after it until the first at or after the next consent event (the latest one at or before
 * a boundary d is the one with t <= d, in event order); a span that ends before a boundary holds at none.
 */
function suppressionRows(events: MetricEvent[], emit: (dim: string) => Emit): void {
  const consent = events.filter((e) => CONSENT.has(e.type));
  consent.forEach((e, i) => {
    if (!LISTED.has(e.type)) return;
    const start = ceilDayNumber(e.t);
    const next = consent[i + 1];
    const end = next === undefined ? POS_INF : ceilDayNumber(next.t);
    if (start >= end) return;
    const row = emit(suppressionDim(e.type, e.source));
    row(start, 0, 1);
    if (end !== POS_INF) row(end, 0, -1);
  });
}

/**
 * Rows kept only per (region, channel) segment: unfiltered queries read the same from
 * `metric_value_daily` (value amounts) and the events' index (the latest use).
 */
function filteredOnlyRows(events: MetricEvent[]): TallyRow[] {
  const out: TallyRow[] = [];
  for (const [grain, bucket] of GRAINS) {
    for (const e of events) {
      if (e.type !== "value.delivered" || !e.purpose) continue;
      const b = bucket(e.t);
      const row = { grain, measure: VALUE_AMOUNT_MEASURE, key: e.purpose, x: b, y: b, z: 0 };
      out.push({ ...row, dim: deliveriesDim(e.currency ?? ""), n: 1 });
      for (const { group, n } of amountGroups(e.amount ?? "0")) {
        out.push({ ...row, dim: amountDim(group, e.currency ?? ""), n });
      }
    }
  }
  const uses = new Set<string>();
  for (const e of events) {
    if (e.type !== "data.used" || !e.field) continue;
    const x = ceilDayNumber(e.t);
    const id = `${e.field}\u0000${x}`;
    if (uses.has(id)) continue;
    uses.add(id);
    out.push({ grain: "day", measure: SUBJECT_USE_MEASURE, key: e.field, dim: "", x, y: 0, z: 0, n: 1 });
  }
  return out;
}

interface Segment {
  region: string;
  channel: string;
  vf: number;
  vt: number;
}

/**
 * The subject's (region, channel) per unit of a clock: the latest non-empty values of the events
 * in units up to b (SPEC 4, Filters), as segments [vf, vt) of constant pair. The first starts at
 * −∞ (no row of the subject counts at a unit before its first event's) and the last ends at +∞.
 */
export function attributeSegments(events: MetricEvent[], unit: Bucket): Segment[] {
  const atUnit = new Map<number, [string, string]>();
  let region = "";
  let channel = "";
  for (const e of events) {
    if (e.region) region = e.region;
    if (e.channel) channel = e.channel;
    atUnit.set(unit(e.t), [region, channel]);
  }
  const segments: Segment[] = [];
  for (const [at, [r, c]] of [...atUnit].sort(([a], [b]) => a - b)) {
    const last = segments[segments.length - 1];
    if (last && last.region === r && last.channel === c) continue;
    if (last) last.vt = at;
    segments.push({ region: r, channel: c, vf: segments.length ? at : NEG_INF, vt: POS_INF });
  }
  return segments;
}

/** The clock of a row's validity: its grain's units (days for the day projections), day boundaries for holdings. */
const validityClock = (r: TallyRow): "day" | "month" | "boundary" =>
  r.grain === "month"
    ? "month"
    : r.measure === HOLDING_MEASURE || r.measure === DORMANT_MEASURE || r.measure === SUBJECT_USE_MEASURE
      ? "boundary"
      : "day";

/**
 * Every row of the subject once per segment of its (region, channel) in which it can count, for
 * the filtered queries. A row counts only at last units b >= L — L = y for the range measures
 * (y <= b), x for the others (active, churned and holdings count at a <= b with x <= a, or x <= b)
 * — so segments that end by L are left out and the first one kept starts at −∞: a subject that
 * moved before the row's L gives one row, as if it never had.
 */
function attributedRows(events: MetricEvent[], rows: TallyRow[]): AttributedRow[] {
  const clocks = {
    day: attributeSegments(events, dayNumber),
    month: attributeSegments(events, monthNumber),
    boundary: attributeSegments(events, ceilDayNumber),
  };
  const out: AttributedRow[] = [];
  for (const r of rows) {
    const from = RANGE.has(r.measure) ? r.y : r.x;
    let first = true;
    for (const s of clocks[validityClock(r)]) {
      if (s.vt <= from) continue;
      // Written out, not spread: the applier makes millions of these.
      const { grain, measure, key, dim, x, y, z, n } = r;
      out.push({
        grain,
        measure,
        key,
        dim,
        x,
        y,
        z,
        n,
        region: s.region,
        channel: s.channel,
        vf: first ? NEG_INF : s.vf,
        vt: s.vt,
      });
      first = false;
    }
  }
  return out;
}

const monthOfDay = (day: number): number => (day === POS_INF ? POS_INF : monthNumber(day * DAY_MS));
const RANGE = new Set(RANGE_MEASURES);

/** A day row of a range measure projected onto months in x, y or both (see RANGE_MEASURES); an attributed row keeps its segment, in days. */
function projections(r: TallyRow): TallyRow[] {
  if (r.grain !== "day" || !RANGE.has(r.measure)) return [];
  const xm = monthOfDay(r.x);
  const ym = monthOfDay(r.y);
  return [
    withBuckets(r, DAY_PROJECTIONS.xDayYMonth, r.x, ym),
    withBuckets(r, DAY_PROJECTIONS.xMonthYDay, xm, r.y),
    withBuckets(r, DAY_PROJECTIONS.months, xm, ym),
  ];
}

/** The row with another grain, x and y; written out, not spread (the applier makes millions of these). */
function withBuckets(r: TallyRow, grain: TallyRow["grain"], x: number, y: number): TallyRow {
  const { measure, key, dim, z, n } = r;
  if (!isAttributed(r)) return { grain, measure, key, dim, x, y, z, n };
  const attributed: AttributedRow = {
    grain,
    measure,
    key,
    dim,
    x,
    y,
    z,
    n,
    region: r.region,
    channel: r.channel,
    vf: r.vf,
    vt: r.vt,
  };
  return attributed;
}

type Emitter = (measure: string, key: string, dim: string, z?: number) => Emit;

function purposeRows(events: MetricEvent[], purpose: string, bucket: Bucket, emitter: Emitter): void {
  const answers = events.filter((e) => ANSWER.has(e.type));
  const contexts = new Map<string, MetricEvent[]>([["", answers]]);
  for (const e of answers)
    contexts.set(contextDim(e.context), [...(contexts.get(contextDim(e.context)) ?? []), e]);
  for (const [dim, asked] of contexts) {
    const last = lastPerBucket(asked, bucket, (e) => e.type);
    const runs = marksToRuns(last.marks);
    lastIntersecting(
      runs,
      emitter(OPT_IN_MEASURES.granted, purpose, dim),
      (j) => last.values[j] === "consent.granted",
    );
    lastIntersecting(
      runs,
      emitter(OPT_IN_MEASURES.denied, purpose, dim),
      (j) => last.values[j] === "consent.denied",
    );
  }

  // Consenting (C): the buckets in which the state is granted at some instant, or at the start.
  const spans = consentSpans(events.filter((e) => CONSENT.has(e.type)));
  const consenting = mergeRuns(
    spans
      .filter((s) => s.state === "consent.granted")
      .map((s) => ({ lo: bucket(s.start), hi: s.end === Infinity ? POS_INF : bucket(s.end) })),
  );
  lastIntersecting(consenting, emitter(WITHDRAWAL_MEASURES.consenting, purpose, ""));
  coOccurrence(
    marksOf(
      events.filter((e) => e.type === "consent.withdrawn"),
      bucket,
    ),
    consenting,
    emitter(WITHDRAWAL_MEASURES.withdrawn, purpose, ""),
  );

  const withdrawals = events.filter((e) => e.type === "consent.withdrawn");
  const inC = anyRun(consenting);
  // By source: C and the first withdrawal in the range is from that source (the first of its bucket).
  const firstSources = firstPerBucket(withdrawals, bucket, (e) => e.source ?? UNKNOWN_SOURCE);
  firstSources.marks.forEach((_, j) =>
    emitAll(
      both(firstMarkIs(firstSources.marks, j), inC),
      emitter(WITHDRAWN_BY_SOURCE, purpose, firstSources.values[j] as string),
    ),
  );

  const used = marksOf(
    events.filter((e) => e.type === "data.used"),
    bucket,
  );
  const deliveries = events.filter((e) => e.type === "value.delivered");
  const valued = marksOf(deliveries, bucket);

  // Fair exchange: C with a kind of value, and of them those who withdrew; `none`: C without any value.
  const inW = anyRun(marksToRuns(marksOf(withdrawals, bucket)));
  const inCW = both(inC, inW);
  for (const kind of new Set(deliveries.map((e) => e.kind ?? ""))) {
    const inV = anyRun(
      marksToRuns(
        marksOf(
          deliveries.filter((e) => (e.kind ?? "") === kind),
          bucket,
        ),
      ),
    );
    emitAll(both(inC, inV), emitter(FAIR_EXCHANGE_MEASURES.consenting, purpose, kind));
    emitAll(both(inCW, inV), emitter(FAIR_EXCHANGE_MEASURES.withdrawn, purpose, kind));
  }
  const anyValue = anyRun(marksToRuns(valued));
  emitAll(minus(inC, both(inC, anyValue)), emitter(FAIR_EXCHANGE_MEASURES.consenting, purpose, NO_VALUE));
  emitAll(minus(inCW, both(inCW, anyValue)), emitter(FAIR_EXCHANGE_MEASURES.withdrawn, purpose, NO_VALUE));
  lastIntersecting(marksToRuns(used), emitter(RECIPROCITY_MEASURES.used, purpose, ""));
  coOccurrence(used, marksToRuns(valued), emitter(RECIPROCITY_MEASURES.usedAndValued, purpose, ""));
  coOccurrence(valued, consenting, emitter(RECIPROCITY_MEASURES.valuedConsenting, purpose, ""));
}

/**
 * A subject active at the start of buckets y+1 … x (its first event in a bucket before, no churn
 * before): +1 at y+1 and −1 at x+1 (`active`); when it churns, a row (x, y, z) for `churned`.
 */
function activeRows(y: number, x: number, churnBucket: number, active: Emit, churned: Emit): void {
  if (y >= x) return;
  active(y + 1, 0, 1);
  if (x !== POS_INF) active(x + 1, 0, -1);
  if (churnBucket !== POS_INF) churned(x, y, 1);
}

/**
 * Active at the start of bucket a with consent state k: first event before a, no churn before a,
 * and the state span holding the instant just before a has state k.
 */
function cohortRows(
  events: MetricEvent[],
  purpose: string,
  bucket: Bucket,
  firstBucket: number,
  churnBucket: number,
  emitter: Emitter,
): void {
  const cohortOf = (state: string) =>
    state === "consent.granted" ? COHORT_MEASURES.granted : COHORT_MEASURES.not_granted;
  const spans: {
    cohort: (typeof COHORT_MEASURES)[keyof typeof COHORT_MEASURES];
    start: number;
    end: number;
  }[] = [];
  for (const s of consentSpans(events.filter((e) => CONSENT.has(e.type)))) {
    const last = spans[spans.length - 1];
    if (last && last.cohort === cohortOf(s.state)) last.end = s.end;
    else spans.push({ cohort: cohortOf(s.state), start: s.start, end: s.end });
  }
  for (const s of spans) {
    const y = Math.max(firstBucket, bucket(s.start));
    const x = Math.min(churnBucket, s.end === Infinity ? POS_INF : bucket(s.end));
    activeRows(
      y,
      x,
      churnBucket,
      emitter(s.cohort.active, purpose, ""),
      emitter(s.cohort.churned, purpose, "", churnBucket),
    );
  }
}

/**
 * Holdings of one field, split into segments with one latest activity (a collection or a
 * subject-level use). A segment [start, end) holds at the day boundary d when s <= d < e, with s
 * and e the first boundaries at or after start and end, and is dormant when also s + W <= d: one
 * row +1 where each begins, −1 where it ends, so a count at d is a sum over the rows up to d.
 */
function holdingRows(events: MetricEvent[], window: number | undefined, holding: Emit, dormant: Emit): void {
  let start: number | null = null;
  const close = (end: number) => {
    if (start === null) return;
    const s = ceilDayNumber(start);
    const e = end === Infinity ? POS_INF : ceilDayNumber(end);
    if (s < e) {
      holding(s, 0, 1);
      if (e !== POS_INF) holding(e, 0, -1);
    }
    if (window !== undefined && s + window < e) {
      dormant(s + window, 0, 1);
      if (e !== POS_INF) dormant(e, 0, -1);
    }
    start = null;
  };
  for (const e of events) {
    if (e.type === "data.collected" || (e.type === "data.used" && start !== null)) {
      close(e.t);
      start = e.t;
    } else if (e.type === "data.deleted") close(e.t);
  }
  close(Infinity);
}

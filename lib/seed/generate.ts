import { customerStory, DAY, HOUR, type SeedWindow } from "./customer";
import { chance, deriveSeed, mulberry32 } from "./random";
import type { SeedEvent } from "./seed-event";

export type { SeedDsarRequest, SeedEvent, SeedEventType, SeedValue, SeedValueKind } from "./seed-event";

export interface SeedOptions {
  events: number;
  seed?: number;
  end?: Date;
}

export const DEFAULT_SEED = 42;
/** Fixed so that the demo data, and every number shown on it, is the same on every run. */
export const DEFAULT_END = new Date("2026-11-01T00:00:00Z");
export const SEED_WINDOW_DAYS = 365;

const DUPLICATE_SHARE = 0.002;
const DUPLICATE_STREAM = 0x7fffffff;

function isoSeconds(at: number): string {
  return new Date(Math.floor(at / 1000) * 1000).toISOString().slice(0, 19) + "Z";
}

/** Monday mornings in the window: the weekly newsletter-style bulk use of everyone's e-mail. */
function bulkUseTimes({ start, end }: SeedWindow): number[] {
  let t = Math.floor(start / DAY) * DAY + 8 * HOUR;
  while (t <= start || new Date(t).getUTCDay() !== 1) t += DAY;
  const times: number[] = [];
  for (; t < end; t += 7 * DAY) times.push(t);
  return times;
}

function copyOf(event: SeedEvent): SeedEvent {
  return event.value ? { ...event, value: { ...event.value } } : { ...event };
}

/**
 * Streams about `events` demo events (exactly that many), one customer at a time, so arrival
 * order is not time order. Deterministic for the same options; memory does not grow with `events`.
 */
export function* generateSeedEvents(opts: SeedOptions): Generator<SeedEvent> {
  const target = Math.max(0, Math.floor(opts.events));
  const seed = opts.seed ?? DEFAULT_SEED;
  const end = (opts.end ?? DEFAULT_END).getTime();
  const window: SeedWindow = { start: end - SEED_WINDOW_DAYS * DAY, end };
  const bulk = bulkUseTimes(window);
  const duplicateRng = mulberry32(deriveSeed(seed, DUPLICATE_STREAM));
  const lateDuplicates: SeedEvent[] = [];
  let emitted = 0;
  let lastId = 0;
  let bulkDone = 0;
  let customer = 0;

  while (emitted < target) {
    while (bulkDone < bulk.length && emitted >= ((bulkDone + 1) * target) / (bulk.length + 1)) {
      const at = bulk[bulkDone] ?? end;
      bulkDone++;
      lastId++;
      yield {
        id: `seed-${lastId}`,
        type: "data.used",
        occurred_at: isoSeconds(at),
        purpose: "order-updates",
        field: "email",
        channel: "email",
      };
      if (++emitted >= target) return;
    }

    const story = customerStory(mulberry32(deriveSeed(seed, customer)), `cus_${customer + 1}`, window);
    customer++;
    for (const { at, fact } of story) {
      lastId++;
      const event: SeedEvent = { id: `seed-${lastId}`, occurred_at: isoSeconds(at), ...fact };
      if (chance(duplicateRng, DUPLICATE_SHARE)) lateDuplicates.push(copyOf(event));
      yield event;
      if (++emitted >= target) return;
    }
    // Duplicates arrive a little later, as a sender's retry would.
    while (lateDuplicates.length > 0) {
      const duplicate = lateDuplicates.shift();
      if (duplicate) yield duplicate;
      if (++emitted >= target) return;
    }
  }
}

import { beforeAll, describe, expect, test } from "vitest";
import { GET as metricsGET } from "@/app/api/v1/metrics/[metric]/route";
import { POST as uploadPOST } from "@/app/api/v1/events/upload/route";
import { POST as signalsPOST } from "@/app/api/v1/signals/route";
import { createApiKey } from "@/lib/keys";
import { decodeSignal, parseSignal } from "@/lib/signals/decode";
import { defaultSignalMapping } from "@/lib/signals/mapping";
import { DECODE_TIME_LIMIT_MS, DECODE_TIMEOUTS_PER_BATCH } from "@/lib/signals/decoder-thread";
import { MAX_TC_STRING_CHARS } from "@/lib/signals/signal";
import { addMember, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { TC_PURPOSES_3_TO_9 } from "../signals/published-strings";
import { rangeBombTcString, TC_STRING_16K } from "./input-hostile";

let ws: TestWorkspace;
let other: TestWorkspace;
let ingestKey: string;
let otherReadKey: string;
let uploader: TestMember;

beforeAll(async () => {
  await routesUseTestDatabase();
  [ws, other] = await Promise.all([freshWorkspace(), freshWorkspace()]);
  ingestKey = (await createApiKey(ws.db, ws.id, ["ingest"])).key;
  otherReadKey = (await createApiKey(other.db, other.id, ["read"])).key;
  uploader = await addMember(ws, "admin");
  // The decoder thread starts on first use; start it here so that its start-up is not timed below.
  await decodeSignal(parseSignal(tcSignal(TC_PURPOSES_3_TO_9)), defaultSignalMapping);
});

interface Summary {
  accepted: number;
  rejected: { index: number; errors: string[] }[];
}

let n = 0;
const tcSignal = (tc_string: string) => ({
  kind: "tcf",
  subject: `dec_${++n}`,
  occurred_at: "2026-03-01T12:00:00Z",
  tc_string,
});

async function sendSignals(signals: unknown[]): Promise<{ status: number; summary: Summary; ms: number }> {
  const started = performance.now();
  const res = await signalsPOST(
    new Request("http://localhost/api/v1/signals", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify({ signals }),
    }),
    undefined,
  );
  return { status: res.status, summary: (await res.json()) as Summary, ms: performance.now() - started };
}

async function optInLatency(): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await metricsGET(
    new Request("http://localhost/api/v1/metrics/opt-in?from=2026-01-01&to=2026-04-01", {
      headers: { authorization: `Bearer ${otherReadKey}` },
    }),
    { params: Promise.resolve({ metric: "opt-in" }) },
  );
  await res.json();
  return { status: res.status, ms: performance.now() - started };
}

/**
 * The slowest of a few opt-in answers with nothing else running: on a shared 2-core machine that is
 * itself busy, "within 1 s" is measured as at most 1 s later than this.
 */
async function idleOptIn(): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) runs.push((await optInLatency()).ms);
  return Math.max(...runs);
}

describe("TC and GPP strings are decoded within a budget", () => {
  test("a 16,384-character tc_string is refused at once, naming the field and the cap; its valid sibling is stored", async () => {
    const { status, summary, ms } = await sendSignals([
      tcSignal(TC_STRING_16K),
      tcSignal(TC_PURPOSES_3_TO_9),
    ]);
    expect(status).toBe(200);
    // It took 269 s before the cap; what is left is storing the sibling.
    expect(ms).toBeLessThan(3000);
    expect(summary.rejected).toEqual([
      {
        index: 0,
        errors: [
          expect.stringMatching(new RegExp(`^tc_string: expected at most ${MAX_TC_STRING_CHARS} characters`)),
        ],
      },
    ]);
    expect(summary.accepted).toBe(3);
  });

  test("a short TC string that would take seconds to decode is given up after the time limit, and the decoder keeps working", async () => {
    const bomb = rangeBombTcString(6000);
    expect(bomb.length).toBeLessThanOrEqual(MAX_TC_STRING_CHARS);
    const { summary } = await sendSignals([tcSignal(bomb), tcSignal(TC_PURPOSES_3_TO_9)]);
    expect(summary.rejected).toEqual([
      {
        index: 0,
        errors: [
          `tc_string: not decoded within ${DECODE_TIME_LIMIT_MS} ms; a real TCF v2 TC string decodes in a few milliseconds`,
        ],
      },
    ]);
    expect(summary.accepted).toBe(3);
  });

  test(`after ${DECODE_TIMEOUTS_PER_BATCH} strings over the limit, a batch's other strings are refused unread: one request holds the decoder about a second at most`, async () => {
    const bomb = rangeBombTcString(6000);
    const { summary, ms } = await sendSignals([
      tcSignal(bomb),
      tcSignal(bomb),
      tcSignal(bomb),
      tcSignal(bomb),
      tcSignal(TC_PURPOSES_3_TO_9),
    ]);
    expect(summary.rejected.map((r) => [r.index, r.errors[0]?.replace(/ \(.*| within .*/, "")])).toEqual([
      [0, "tc_string: not decoded"],
      [1, "tc_string: not decoded"],
      [
        2,
        `tc_string: not decoded: this batch already had ${DECODE_TIMEOUTS_PER_BATCH} strings over the ${DECODE_TIME_LIMIT_MS} ms decode limit`,
      ],
      [
        3,
        `tc_string: not decoded: this batch already had ${DECODE_TIMEOUTS_PER_BATCH} strings over the ${DECODE_TIME_LIMIT_MS} ms decode limit`,
      ],
      [
        4,
        `tc_string: not decoded: this batch already had ${DECODE_TIMEOUTS_PER_BATCH} strings over the ${DECODE_TIME_LIMIT_MS} ms decode limit`,
      ],
    ]);
    // Decoded in full, the four would take over 7 s (6,000 characters: 1.8 s each on an idle machine; 1,500 took 0.46 s, too close to the limit).
    expect(ms).toBeLessThan(5000);
  });

  test("while one client sends the 16 KB TC string (and a slow one) in a loop, another workspace's GET /api/v1/metrics/opt-in answers within 1 s", async () => {
    const idle = await idleOptIn();
    let sending = true;
    let sent = 0;
    const attacker = (async () => {
      while (sending) {
        await sendSignals([tcSignal(sent % 2 ? TC_STRING_16K : rangeBombTcString(6000))]);
        sent++;
      }
    })();
    const latencies: number[] = [];
    try {
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 0; i < 40 && (i < 8 || sent < 2); i++) {
        const { status, ms } = await optInLatency();
        expect(status).toBe(200);
        latencies.push(ms);
        await new Promise((r) => setTimeout(r, 150));
      }
    } finally {
      sending = false;
      await attacker;
    }
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(Math.max(...latencies) - idle).toBeLessThan(1000);
  });
});

/** The longest time the event loop went without running a 10 ms timer while `work` ran: how long one request held the thread. */
async function longestStallWhile(work: Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe("uploaded files are parsed a chunk at a time", () => {
  test(
    "while a 100,000-row CSV is uploaded, the request thread is never held for a second",
    { timeout: 240_000 },
    async () => {
      // Parsed in one go, this file held the event loop for seconds; its rows are refused (unknown type) so that the test times parsing, not storage.
      const rows = Array.from(
        { length: 100_000 },
        (_, i) => `up-${i},not.a.type,cus_${i},2026-03-01T10:00:00Z,ads`,
      );
      const form = new FormData();
      form.set(
        "file",
        new File([["id,type,subject,occurred_at,purpose", ...rows].join("\n")], "big.csv", {
          type: "text/csv",
        }),
      );
      const upload = uploadPOST(
        new Request("http://localhost:3000/api/v1/events/upload", {
          method: "POST",
          headers: { cookie: uploader.cookie, origin: "http://localhost:3000", host: "localhost:3000" },
          body: form,
        }),
        undefined,
      );
      expect(await longestStallWhile(upload)).toBeLessThan(1000);
      const res = await upload;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        format: "csv",
        events: 100_000,
        accepted: 0,
        rejected_count: 100_000,
      });
    },
  );
});

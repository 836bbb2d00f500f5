import { Worker } from "node:worker_threads";

/**
 * TC and GPP strings are decoded by the IAB libraries on a worker thread, one string at a time and
 * each under a time limit, because their decoders expand vendor ranges: a 300-character TC string
 * can take over a second, a 6,000-character one half a minute. On the request thread that would
 * stall every other request of every workspace. A string over the limit has its worker terminated
 * (and a fresh one started) and is rejected; after DECODE_TIMEOUTS_PER_BATCH such strings in one
 * batch, its remaining strings are rejected unread, so one request holds the worker for about a
 * second at most beyond its honest strings.
 */
export const DECODE_TIME_LIMIT_MS = 500;
export const DECODE_TIMEOUTS_PER_BATCH = 2;
/** Heap for the worker: a string that expands to millions of vendor entries ends the worker, not the server. */
const WORKER_HEAP_MB = 128;

/** The fields of GPP sections that the mapping reads (lib/signals/gpp.ts); only these cross back. */
export const GPP_SECTION_FIELDS = [
  "PurposeConsents",
  "SpecialFeatureOptins",
  "OptOutSale",
  "SaleOptOut",
  "SharingOptOut",
  "TargetedAdvertisingOptOut",
  "Gpc",
] as const;

export interface DecodeJob {
  kind: "tcf" | "gpp";
  value: string;
}

/** A TC string as plain data: purpose and special feature ids (1-based) with consent. */
export interface DecodedTcString {
  version: number;
  purposeConsents: number[];
  specialFeatureOptins: number[];
}

/** A GPP string as plain data: each section's name with the fields the mapping reads. */
export interface DecodedGppString {
  sections: Array<[string, Record<string, unknown>]>;
}

/** Why a string did not decode: the library's error, where it happened (a GPP section), or a limit. */
export type DecodeFailure =
  | { reason: "invalid"; name: string; message: string; section?: string }
  | { reason: "time_limit" }
  | { reason: "batch_budget" }
  | { reason: "crashed" };

export type DecodeOutcome =
  { ok: true; tcf?: DecodedTcString; gpp?: DecodedGppString } | { ok: false; failure: DecodeFailure };

// Plain CommonJS run by the worker (eval: no file to locate inside a bundled server). The packages
// resolve from the working directory, the project root for `npm start`, `npm run tl` and the tests.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { TCString } = require("@iabtcf/core");
const { GppModel, Sections } = require("@iabgpp/cmpapi");
const ids = (n, has) => Array.from({ length: n }, (_, i) => i + 1).filter(has);
const failure = (e, section) => ({ ok: false, failure: { reason: "invalid", name: (e && e.name) || "Error", message: String((e && e.message) || e).slice(0, 500), section } });
function tcf(value) {
  const m = TCString.decode(value);
  return { ok: true, tcf: { version: Number(m.version), purposeConsents: ids(24, (id) => m.purposeConsents.has(id)), specialFeatureOptins: ids(12, (id) => m.specialFeatureOptins.has(id)) } };
}
function gpp(value) {
  let model, sectionIds;
  try { model = new GppModel(value); sectionIds = model.getSectionIds(); } catch (e) { return failure(e); }
  const sections = [];
  for (const id of sectionIds) {
    const name = Sections.SECTION_ID_NAME_MAP.get(id);
    if (name === undefined) continue;
    let fields;
    try { fields = model.getSection(name); } catch (e) { return failure(e, name); }
    const picked = {};
    for (const f of workerData.gppFields) if (fields && fields[f] !== undefined) picked[f] = fields[f];
    sections.push([name, picked]);
  }
  return { ok: true, gpp: { sections } };
}
parentPort.on("message", (job) => {
  let outcome;
  try { outcome = job.kind === "tcf" ? tcf(job.value) : gpp(job.value); } catch (e) { outcome = failure(e); }
  parentPort.postMessage(outcome);
});
parentPort.postMessage("ready");
`;

interface Running {
  worker: Worker;
  ready: Promise<void>;
  /** Settles the job in flight when the worker answers, fails or exits. */
  settle: ((outcome: DecodeOutcome) => void) | null;
}

let running: Running | null = null;
let queue: Promise<unknown> = Promise.resolve();

function start(): Running {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { gppFields: GPP_SECTION_FIELDS },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  // The worker must not keep a CLI run or a test process alive.
  worker.unref();
  const r: Running = { worker, ready: Promise.resolve(), settle: null };
  r.ready = new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  r.ready.catch(() => undefined);
  worker.on("message", (m: DecodeOutcome | "ready") => {
    if (m !== "ready") r.settle?.(m);
  });
  const gone = () => {
    if (running === r) running = null;
    r.settle?.({ ok: false, failure: { reason: "crashed" } });
  };
  worker.on("error", gone);
  worker.on("exit", gone);
  return r;
}

async function decodeOne(job: DecodeJob): Promise<DecodeOutcome> {
  running ??= start();
  const r = running;
  await r.ready;
  return new Promise<DecodeOutcome>((resolve) => {
    const timer = setTimeout(() => {
      r.settle = null;
      if (running === r) running = null;
      void r.worker.terminate();
      resolve({ ok: false, failure: { reason: "time_limit" } });
    }, DECODE_TIME_LIMIT_MS);
    r.settle = (outcome) => {
      clearTimeout(timer);
      r.settle = null;
      resolve(outcome);
    };
    r.worker.postMessage(job);
  });
}

/**
 * Decodes a batch's strings in order, one batch at a time (batches queue behind each other).
 * Every job gets an outcome; none throws for input.
 */
export function decodeStrings(jobs: readonly DecodeJob[]): Promise<DecodeOutcome[]> {
  const run = queue.then(async () => {
    const outcomes: DecodeOutcome[] = [];
    let timeouts = 0;
    for (const job of jobs) {
      if (timeouts >= DECODE_TIMEOUTS_PER_BATCH) {
        outcomes.push({ ok: false, failure: { reason: "batch_budget" } });
        continue;
      }
      const outcome = await decodeOne(job);
      if (!outcome.ok && (outcome.failure.reason === "time_limit" || outcome.failure.reason === "crashed"))
        timeouts++;
      outcomes.push(outcome);
    }
    return outcomes;
  });
  queue = run.catch(() => undefined);
  return run;
}

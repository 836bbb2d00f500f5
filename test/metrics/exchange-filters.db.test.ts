import { beforeAll, expect, test } from "vitest";
import { computeMetric } from "@/lib/metrics";
import { afterBulkLoad, freshWorkspace, type TestWorkspace } from "../helpers/db";
import { fixtureEvents, fixtureJson } from "../helpers/fixtures";
import { expectSame, ingest } from "./helpers";

// expected-filters.json (test/fixtures/README.md): the first six metrics of the exchange fixture
// under four filters. A series entry keeps the subjects whose region/channel is the filter's at
// the end of that bucket (SPEC 4, Filters), not at the end of the whole period.
const events = fixtureEvents("exchange");
const config = fixtureJson("exchange", "workspace.json");
type Expected = Record<string, unknown> & { from: string; to: string; granularity: string; at: string };
const expected = fixtureJson<Record<string, Expected>>("exchange", "expected-filters.json");
const META = ["from", "to", "granularity", "at"];

const cases = Object.entries(expected).flatMap(([filter, want]) =>
  Object.keys(want)
    .filter((k) => !META.includes(k))
    .map((metric) => ({ filter, metric })),
);

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await freshWorkspace(config);
  await ingest(ws.db, ws.id, events);
  await afterBulkLoad(ws.db, ws.id);
}, 600_000);

test("the fixture has the four filters and the six first metrics (opt-in alone for context)", () => {
  expect(Object.keys(expected)).toEqual([
    "region=DE",
    "channel=web",
    "region=US-CA&channel=app",
    "context=checkout",
  ]);
  expect(cases).toHaveLength(3 * 6 + 1);
});

test.each(cases)(
  "$metric under $filter matches expected-filters.json on both paths",
  async ({ filter, metric }) => {
    const want = expected[filter]!;
    const query = {
      ...Object.fromEntries(new URLSearchParams(filter)),
      from: want.from,
      to: want.to,
      granularity: want.granularity,
      at: want.at,
    };
    expectSame(want[metric], await computeMetric(ws.db, ws.id, metric, query));
    expectSame(want[metric], await computeMetric(ws.db, ws.id, metric, query, { path: "reference" }));
  },
  // The raw path of dormant data under a region and channel has taken minutes on PGlite in a full run (see above).
  420_000,
);

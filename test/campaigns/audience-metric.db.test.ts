import { beforeAll, expect, test } from "vitest";
import { audienceCount, countHoldings } from "@/lib/campaigns";
import { ingestEvents } from "@/lib/ingest";
import { computeMetric } from "@/lib/metrics";
import { generateSeedEvents } from "@/lib/seed/generate";
import { demoWorkspaceConfig } from "@/lib/seed/workspace-config";
import { dataInventory } from "@/lib/inventory";
import { addMember } from "../helpers/auth";
import { afterBulkLoad, freshWorkspace, type TestWorkspace } from "../helpers/db";

let ws: TestWorkspace;

beforeAll(async () => {
  ws = await freshWorkspace(demoWorkspaceConfig);
  const events = [...generateSeedEvents({ events: 20_000 })];
  for (let i = 0; i < events.length; i += 5000)
    await ingestEvents(ws.db, ws.id, events.slice(i, i + 5000), "seed");
  await afterBulkLoad(ws.db, ws.id);
});

// A day boundary (the metric may answer from its rollups), an instant inside a day, and the end of the demo data.
test.each(["2026-06-01T00:00:00.000Z", "2026-08-17T13:45:12.345Z", "2026-11-01T00:00:00.000Z"])(
  "the audience of a field without filters equals the dormant count of the dormant-data metric at %s",
  async (at) => {
    const metric = await computeMetric(ws.db, ws.id, "dormant-data", { at });
    if (metric.metric !== "dormant-data") throw new Error("expected the dormant-data metric");
    expect(metric.fields.length).toBeGreaterThan(0);
    for (const f of metric.fields) {
      const audience = await countHoldings(
        ws.db,
        ws.id,
        { field: f.field, purpose: null, region: null, channel: null },
        new Date(at),
      );
      expect({ field: f.field, holdings: audience.holdings, dormant: audience.audience }).toEqual({
        field: f.field,
        holdings: f.holdings,
        dormant: f.dormant,
      });
    }
    expect(metric.fields.find((f) => f.field === "birthday")?.dormant).toBeGreaterThan(0);
  },
);

// A filtered dormant count at an instant inside a day reads the raw events for that day's part.
test.each([{ region: "DE" }, { channel: "app" }])(
  "with the filter %j the audience equals the metric's dormant count with the same filter",
  { timeout: 300_000 },
  async (filter) => {
    const at = "2026-09-10T08:00:00.000Z";
    const metric = await computeMetric(ws.db, ws.id, "dormant-data", { at, ...filter });
    if (metric.metric !== "dormant-data") throw new Error("expected the dormant-data metric");
    const birthday = metric.fields.find((f) => f.field === "birthday");
    const audience = await countHoldings(
      ws.db,
      ws.id,
      { field: "birthday", purpose: null, region: null, channel: null, ...filter },
      new Date(at),
    );
    expect(audience).toEqual({ holdings: birthday?.holdings, audience: birthday?.dormant });
  },
);

// Issue 14: the inventory showed 3,137 dormant and the Give-back preview 9,861 for the same field — the inventory
// counts at the end of its period, the preview now, and dormancy grows with time. The preview states its instant and,
// asked with the inventory's, counts there too: the same number as the inventory.
test("the give-back preview counted at the inventory's instant has the inventory's numbers, and states both instants", async () => {
  const inventory = await dataInventory(ws.db, ws.id, {
    from: "2026-08-01T00:00:00.000Z",
    to: "2026-09-10T08:00:00.000Z",
  });
  const birthday = inventory.fields.find((f) => f.field === "birthday");
  expect(birthday?.dormant).toBeGreaterThan(0);
  const { actor } = await addMember(ws, "privacy");
  const now = "2026-12-31T00:00:00.000Z";
  const preview = await audienceCount(ws.db, actor, { field: "birthday", at: now, compare_at: inventory.at });
  expect(preview.compared).toEqual({
    at: inventory.at,
    holdings: birthday?.holdings,
    audience: birthday?.dormant,
  });
  expect(preview.at).toBe("2026-12-31T00:00:00Z");
  // Later, more of the same holdings have gone unused for their window: the difference the screen explains.
  expect(preview.audience).toBeGreaterThan(birthday?.dormant ?? 0);
});

import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { expect, test } from "vitest";
import { campaigns } from "@/db/schema";
import { eventStats } from "@/lib/event-stats";
import { ingestUpload } from "@/lib/event-stats/upload";
import { ingestEvents } from "@/lib/ingest";
import { computeInsight, isGatedInsight } from "@/lib/insights";
import { churnAfterWithdrawal } from "@/lib/insights/churn-after-withdrawal";
import { campaignLaunches } from "@/lib/campaigns/launches";
import { suppressionSummary } from "@/lib/suppression/summary";
import { freshWorkspace } from "../helpers/db";
import { ingest, queued } from "../metrics/helpers";
import { NOW } from "@/lib/ingest/entry";

let n = 0;
const ev = (type: string, subject: string | undefined, at: string, extra: Record<string, unknown> = {}) => ({
  id: `e${++n}`,
  type,
  subject,
  occurred_at: at,
  ...extra,
});
const period = { from: "2026-03-01", to: "2026-04-01" };

test("churn after withdrawal splits the active customers by whether they withdrew in the period, and counts a churn only after the withdrawal", async () => {
  const ws = await freshWorkspace();
  const before = "2026-02-01T10:00:00Z";
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ...["a", "b", "c", "d", "f", "gone"].map((s) => ev("consent.granted", s, before, { purpose: "ads" })),
      ev("customer.churned", "gone", "2026-02-15T10:00:00Z"),
      ev("consent.withdrawn", "a", "2026-03-02T10:00:00Z", { purpose: "ads" }),
      ev("customer.churned", "a", "2026-03-12T10:00:00Z"),
      ev("consent.withdrawn", "b", "2026-03-05T10:00:00Z", { purpose: "ads" }),
      ev("customer.churned", "c", "2026-03-20T10:00:00Z"),
      ev("customer.churned", "f", "2026-03-10T10:00:00Z"),
      ev("consent.withdrawn", "f", "2026-03-11T10:00:00Z", { purpose: "ads" }),
      ev("consent.granted", "new", "2026-03-03T10:00:00Z", { purpose: "ads" }),
      ev("consent.withdrawn", "new", "2026-03-04T10:00:00Z", { purpose: "ads" }),
    ],
    "api",
  );
  const result = await churnAfterWithdrawal(ws.db, ws.id, period);
  expect(result.withdrew).toEqual({ active: 2, churned: 1, churn_rate: 0.5 });
  expect(result.did_not_withdraw).toEqual({ active: 3, churned: 2, churn_rate: 2 / 3 });
  expect(result.median_days_to_churn).toBeCloseTo(10, 5);
});

test("with a region filter only the customers whose latest region is that one count", async () => {
  const ws = await freshWorkspace();
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ev("consent.granted", "de1", "2026-02-01T10:00:00Z", { purpose: "ads", region: "FR" }),
      ev("consent.granted", "de1", "2026-02-02T10:00:00Z", { purpose: "ads", region: "DE" }),
      ev("consent.granted", "fr1", "2026-02-01T10:00:00Z", { purpose: "ads", region: "FR" }),
      ev("consent.withdrawn", "de1", "2026-03-02T10:00:00Z", { purpose: "ads" }),
      ev("customer.churned", "de1", "2026-03-03T10:00:00Z"),
    ],
    "api",
  );
  const de = await churnAfterWithdrawal(ws.db, ws.id, { ...period, region: "DE" });
  expect(de.withdrew).toEqual({ active: 1, churned: 1, churn_rate: 1 });
  expect(de.did_not_withdraw).toEqual({ active: 0, churned: 0, churn_rate: null });
});

test("while events wait for the rollups, churn after withdrawal counts them on neither side; an exact read counts them", async () => {
  const ws = await freshWorkspace();
  const before = "2026-02-01T10:00:00Z";
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ...["a", "b", "c", "d"].map((s) => ev("consent.granted", s, before, { purpose: "ads" })),
      ev("consent.withdrawn", "a", "2026-03-02T10:00:00Z", { purpose: "ads" }),
      ev("customer.churned", "a", "2026-03-12T10:00:00Z"),
    ],
    "api",
  );
  const counted = await churnAfterWithdrawal(ws.db, ws.id, period);
  expect(counted.withdrew).toEqual({ active: 1, churned: 1, churn_rate: 1 });
  expect(counted.did_not_withdraw).toEqual({ active: 3, churned: 0, churn_rate: 0 });
  // Queued, not applied: b withdraws and churns, c churns, d withdraws.
  await ingest(ws.db, ws.id, [
    ev("consent.withdrawn", "b", "2026-03-05T10:00:00Z", { purpose: "ads" }),
    ev("customer.churned", "b", "2026-03-25T10:00:00Z"),
    ev("customer.churned", "c", "2026-03-20T10:00:00Z"),
    ev("consent.withdrawn", "d", "2026-03-06T10:00:00Z", { purpose: "ads" }),
  ]);
  expect(await queued(ws.db, ws.id)).toBe(4);
  expect(await churnAfterWithdrawal(ws.db, ws.id, period, { consistency: "applied" })).toEqual(counted);
  const exact = await churnAfterWithdrawal(ws.db, ws.id, period);
  expect(exact.withdrew).toEqual({ active: 3, churned: 2, churn_rate: 2 / 3 });
  expect(exact.did_not_withdraw).toEqual({ active: 1, churned: 1, churn_rate: 1 });
  expect(exact).toEqual(await churnAfterWithdrawal(ws.db, ws.id, period, { path: "reference" }));
});

test("the suppression lists' counts leave out the events still queued for the rollups, inside a day too; an exact read counts them", async () => {
  const ws = await freshWorkspace();
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ev("consent.denied", "a", "2026-02-01T10:00:00Z", { purpose: "ads", source: "cmp" }),
      ev("consent.denied", "b", "2026-02-01T10:00:00Z", { purpose: "ads" }),
      ev("consent.granted", "c", "2026-02-01T10:00:00Z", { purpose: "ads" }),
    ],
    "api",
  );
  const at = new Date("2026-03-15T12:00:00Z");
  const counted = await suppressionSummary(ws.db, ws.id, at);
  expect(counted.purposes).toEqual([
    { purpose: "ads", count: 2, denied: 2, withdrawn: 0, by_source: { cmp: 1, unknown: 1 } },
  ]);
  // Queued, not applied: a grants again, c withdraws this morning (after the day's boundary).
  await ingest(ws.db, ws.id, [
    ev("consent.granted", "a", "2026-03-10T10:00:00Z", { purpose: "ads" }),
    ev("consent.withdrawn", "c", "2026-03-15T08:00:00Z", { purpose: "ads", source: "app" }),
  ]);
  expect(await suppressionSummary(ws.db, ws.id, at, { consistency: "applied" })).toEqual(counted);
  const exact = await suppressionSummary(ws.db, ws.id, at);
  expect(exact.purposes).toEqual([
    { purpose: "ads", count: 2, denied: 1, withdrawn: 1, by_source: { app: 1, unknown: 1 } },
  ]);
  expect(exact).toEqual(await suppressionSummary(ws.db, ws.id, at, { path: "reference" }));
});

test("the migration that added field_use_daily fills it from the events as ingestion keeps it", async () => {
  const ws = await freshWorkspace();
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ev("data.used", "s1", "2026-03-02T10:00:00Z", { field: "email", purpose: "ads" }),
      ev("data.used", "s2", "2026-03-02T23:59:59Z", { field: "email", purpose: "ads" }),
      ev("data.used", undefined, "2026-03-03T00:00:00Z", { field: "email", purpose: "ads" }),
      ev("data.used", "s1", "2026-03-03T08:00:00Z", { field: "birthday", purpose: "offers" }),
      ev("data.collected", "s1", "2026-03-03T08:00:00Z", { field: "birthday" }),
    ],
    "api",
  );
  const kept = await fieldUseRows(ws.db, sql`field_use_daily`, ws.id);
  expect(kept).toEqual([
    { day: "2026-03-02", field: "email", purpose: "ads", uses: 2, last: "2026-03-02T23:59:59.000Z" },
    { day: "2026-03-03", field: "birthday", purpose: "offers", uses: 1, last: "2026-03-03T08:00:00.000Z" },
    { day: "2026-03-03", field: "email", purpose: "ads", uses: 1, last: "2026-03-03T00:00:00.000Z" },
  ]);
  await withBackfill(ws, "0015_field_use_daily.sql", "field_use_daily", async (copy, statement) => {
    expect(statement).toContain(`"workspace_id" = ${ws.id}`);
    await ws.db.execute(sql.raw(statement));
    expect(await fieldUseRows(ws.db, sql.raw(copy), ws.id)).toEqual(kept);
  });
});

/**
 * A migration's backfill (its INSERT) run into an empty copy of `table` and for this workspace's events only (on the
 * tests' Citus a statement over every shard is an error): `check` gets the copy's name and the statement to run.
 * The copy is a table of the test's own (a temporary one would live on one of the pool's connections only).
 */
async function withBackfill(
  ws: { db: Db; id: number },
  file: string,
  table: string,
  check: (copy: string, statement: string) => Promise<void>,
): Promise<void> {
  const migration = readFileSync(`db/migrations/${file}`, "utf8");
  const backfill = migration.split("--> statement-breakpoint").find((s) => s.includes("INSERT INTO"));
  expect(backfill).toBeDefined();
  const copy = `${table}_backfill_${ws.id}`;
  await ws.db.execute(sql.raw(`CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL)`));
  try {
    const statement = backfill!
      .replace(`INSERT INTO "${table}"`, `INSERT INTO ${copy}`)
      .replaceAll('WHERE "', `WHERE "workspace_id" = ${ws.id} AND "`);
    await check(copy, statement);
  } finally {
    await ws.db.execute(sql.raw(`DROP TABLE ${copy}`));
  }
}

const fieldUseRows = async (db: Db, table: SQL, workspaceId: number) =>
  (
    await rows<{ day: string; field: string; purpose: string; uses: unknown; last: unknown }>(
      db,
      sql`SELECT day::text AS day, field, purpose, uses, last_used_at AS last FROM ${table}
          WHERE workspace_id = ${workspaceId} ORDER BY day, field, purpose`,
    )
  ).map((r) => ({ ...r, uses: Number(r.uses), last: new Date(String(r.last)).toISOString() }));

test("the data inventory ranks unused sensitive data first (then the larger holdings) and names every transparency gap", async () => {
  const ws = await freshWorkspace({
    purposes: [
      { key: "order-updates", name: "Order updates" },
      { key: "offers", name: "Offers" },
    ],
    fields: [
      { key: "email", name: "E-mail", sensitivity: "medium", dormancy_days: 30, purposes: ["order-updates"] },
      { key: "birthday", name: "Birthday", sensitivity: "high", dormancy_days: 30, purposes: ["offers"] },
    ],
  });
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ...["s1", "s2", "s3"].flatMap((s) => [
        ev("data.collected", s, "2026-01-01T10:00:00Z", { field: "email" }),
        ev("data.collected", s, "2026-01-01T10:00:00Z", { field: "birthday" }),
      ]),
      ev("data.used", undefined, "2026-03-20T10:00:00Z", { field: "email", purpose: "order-updates" }),
      ev("data.collected", "s1", "2026-03-01T10:00:00Z", { field: "device-id" }),
      ev("data.used", "s1", "2026-03-02T10:00:00Z", { field: "device-id", purpose: "ads" }),
      ev("data.used", "s1", "2026-03-02T10:00:00Z", { field: "email", purpose: "offers" }),
    ],
    "api",
  );
  const inventory = (await computeInsight(
    ws.db,
    { workspaceId: ws.id, role: "privacy" },
    "inventory",
    period,
  )) as Awaited<ReturnType<typeof import("@/lib/inventory").dataInventory>>;
  expect(inventory.fields.map((f) => [f.field, f.holdings, f.dormant, f.risk])).toEqual([
    ["birthday", 3, 3, 9],
    ["email", 3, 0, 0],
    ["device-id", 1, 0, 0],
  ]);
  const gaps = Object.fromEntries(inventory.fields.map((f) => [f.field, f.gaps]));
  expect(gaps.birthday).toEqual([{ kind: "declared_never_used", purpose: "offers" }]);
  expect(gaps["device-id"]).toEqual([
    { kind: "undeclared_field" },
    { kind: "undeclared_purpose_use", purpose: "ads" },
  ]);
  expect(gaps.email).toEqual([{ kind: "undeclared_use", purpose: "offers" }]);
  const email = inventory.fields.find((f) => f.field === "email");
  expect(email?.cells.find((c) => c.purpose === "order-updates")).toEqual({
    purpose: "order-updates",
    declared: true,
    uses: 1,
    last_used_at: "2026-03-20T10:00:00.000Z",
  });
});

test("a region or channel narrows the data inventory's holdings (as the dormant-data metric counts them) but not the uses by purpose", async () => {
  const ws = await freshWorkspace({
    purposes: [{ key: "offers", name: "Offers" }],
    fields: [
      { key: "birthday", name: "Birthday", sensitivity: "high", dormancy_days: 30, purposes: ["offers"] },
    ],
  });
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ev("data.collected", "de1", "2026-01-01T10:00:00Z", {
        field: "birthday",
        region: "DE",
        channel: "web",
      }),
      ev("data.collected", "de2", "2026-03-10T10:00:00Z", {
        field: "birthday",
        region: "DE",
        channel: "app",
      }),
      ev("data.collected", "fr1", "2026-01-01T10:00:00Z", {
        field: "birthday",
        region: "FR",
        channel: "web",
      }),
      ev("data.used", "fr1", "2026-03-05T10:00:00Z", { field: "birthday", purpose: "offers" }),
    ],
    "api",
  );
  const inventoryOf = async (filters: Record<string, string>) =>
    (await computeInsight(ws.db, { workspaceId: ws.id, role: "privacy" }, "inventory", {
      ...period,
      ...filters,
    })) as Awaited<ReturnType<typeof import("@/lib/inventory").dataInventory>>;
  const birthday = (i: Awaited<ReturnType<typeof inventoryOf>>) => {
    const f = i.fields.find((x) => x.field === "birthday");
    return [f?.holdings, f?.dormant, f?.risk, f?.cells.map((c) => [c.purpose, c.uses])];
  };
  expect(birthday(await inventoryOf({}))).toEqual([3, 1, 3, [["offers", 1]]]);
  // DE: de1 dormant (collected in January, never used), de2 collected in the window; fr1's use stays in the uses.
  const de = await inventoryOf({ region: "DE" });
  expect([de.region, de.channel]).toEqual(["DE", null]);
  expect(birthday(de)).toEqual([2, 1, 3, [["offers", 1]]]);
  expect(birthday(await inventoryOf({ channel: "web" }))).toEqual([2, 1, 3, [["offers", 1]]]);
  expect(birthday(await inventoryOf({ region: "FR", channel: "app" }))).toEqual([0, 0, 0, [["offers", 1]]]);
  await expect(inventoryOf({ region: "UK" })).rejects.toThrow(/region: no event has region 'UK'/);
});

test("insights check the role's permission and name the unknown ones", async () => {
  const ws = await freshWorkspace();
  await expect(
    computeInsight(ws.db, { workspaceId: ws.id, role: "marketer" }, "inventory", period),
  ).rejects.toMatchObject({ code: "forbidden" });
  await expect(
    computeInsight(ws.db, { workspaceId: ws.id, role: "executive" }, "event-stats", period),
  ).rejects.toMatchObject({ code: "forbidden" });
  await expect(
    computeInsight(ws.db, { workspaceId: ws.id, role: "admin" }, "nope", period),
  ).rejects.toMatchObject({ code: "not_found" });
  await expect(
    computeInsight(ws.db, { workspaceId: ws.id, role: "admin" }, "churn-after-withdrawal", {
      from: "2026-04-01",
      to: "2026-03-01",
    }),
  ).rejects.toMatchObject({ code: "bad_request" });
});

test.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])(
  "an insight named after an Object property (%s) is unknown like any other name",
  async (name) => {
    const ws = await freshWorkspace();
    expect(isGatedInsight(name)).toBe(false);
    await expect(
      computeInsight(ws.db, { workspaceId: ws.id, role: "admin" }, name, period),
    ).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining(`unknown insight '${name}'`),
    });
  },
);

test("event stats count stored events per bucket and type, the last event per source, and rejections by reason", async () => {
  const ws = await freshWorkspace();
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ev("consent.granted", "a", "2026-03-02T10:00:00Z", { purpose: "ads", source: "cmp" }),
      ev("consent.denied", "b", "2026-03-03T10:00:00Z", { purpose: "ads", source: "cmp" }),
      ev("consent.granted", "c", "2026-03-10T10:00:00Z", { purpose: "ads" }),
      ev("consent.granted", "someone@example.com", "2026-03-10T10:00:00Z", { purpose: "ads" }),
    ],
    "api",
  );
  const stats = await eventStats(ws.db, ws.id, { ...period, granularity: "week" });
  expect(stats.per_period).toEqual([
    { period: "2026-03-02", type: "consent.denied", events: 1 },
    { period: "2026-03-02", type: "consent.granted", events: 1 },
    { period: "2026-03-09", type: "consent.granted", events: 1 },
  ]);
  expect(stats.sources.map((s) => [s.source, s.events, s.last_occurred_at])).toEqual(
    expect.arrayContaining([
      ["cmp", 2, "2026-03-03T10:00:00.000Z"],
      ["", 1, "2026-03-10T10:00:00.000Z"],
    ]),
  );
  // The source heard from longest ago comes first (a source that stops sending rises to the top).
  const heard = stats.sources.map((s) => [s.last_received_at, s.last_occurred_at].join(" "));
  expect(heard).toEqual([...heard].sort());
  expect(stats.rejected_total).toBe(1);
  expect(stats.reasons[0]?.reason).toMatch(/^subject: /);
  expect(stats.recent_rejections[0]).toMatchObject({ via: "api" });
});

test("an uploaded CSV or NDJSON file goes through the event contract, in the same summary as tl import", async () => {
  const ws = await freshWorkspace();
  const csv =
    "id,type,subject,occurred_at,purpose,value.kind,value.amount\nu1,value.delivered,cus_1,2026-03-02T10:00:00Z,ads,discount,5\nu2,consent.granted,,2026-03-02T10:00:00Z,ads,,\n";
  const fromCsv = await ingestUpload(
    ws.db,
    ws.id,
    {
      name: "events.csv",
      type: "text/csv",
      body: Readable.from([csv]),
    },
    NOW,
  );
  expect(fromCsv).toMatchObject({ format: "csv", events: 2, accepted: 1, duplicates: 0, rejected_count: 1 });
  expect(fromCsv.rejected[0]?.errors.join(" ")).toMatch(/subject/);
  const ndjson = `${JSON.stringify(ev("consent.granted", "cus_2", "2026-03-02T10:00:00Z", { purpose: "ads", id: "u1" }))}\nnot json\n`;
  const fromNdjson = await ingestUpload(
    ws.db,
    ws.id,
    {
      name: "more.ndjson",
      type: "",
      body: Readable.from([ndjson]),
    },
    NOW,
  );
  expect(fromNdjson).toMatchObject({
    format: "ndjson",
    events: 2,
    accepted: 0,
    duplicates: 1,
    rejected_count: 1,
  });
  expect(fromNdjson.rejected[0]?.errors[0]).toMatch(/line 2: not valid JSON/);
  await expect(
    ingestUpload(ws.db, ws.id, { name: "empty.ndjson", type: "", body: Readable.from(["\n\n"]) }, NOW),
  ).rejects.toMatchObject({ code: "bad_request" });
});

test("campaign launches in the period are the timeline's markers; drafts and other workspaces are not", async () => {
  const ws = await freshWorkspace();
  const other = await freshWorkspace();
  expect(await campaignLaunches(ws.db, ws.id, period)).toEqual([]);
  const base = { field: "birthday", action: "delete", message: "We deleted it.", createdBy: "test" };
  await ws.db.insert(campaigns).values([
    {
      workspaceId: ws.id,
      id: "c1",
      name: "Birthdays",
      status: "launched",
      launchedAt: new Date("2026-03-15T09:00:00Z"),
      ...base,
    },
    { workspaceId: ws.id, id: "c2", name: "Draft", status: "draft", ...base },
    {
      workspaceId: ws.id,
      id: "c3",
      name: "Earlier",
      status: "completed",
      launchedAt: new Date("2026-01-15T09:00:00Z"),
      ...base,
    },
    {
      workspaceId: other.id,
      id: "c1",
      name: "Theirs",
      status: "launched",
      launchedAt: new Date("2026-03-15T09:00:00Z"),
      ...base,
    },
  ]);
  expect(await campaignLaunches(ws.db, ws.id, period)).toEqual([
    { id: "c1", name: "Birthdays", launched_at: "2026-03-15T09:00:00.000Z" },
  ]);
});

test("the filter bars' regions, channels and journey steps are kept by ingestion, equal the events' own, and are listed without reading events", async () => {
  const ws = await freshWorkspace();
  const at = "2026-03-02T10:00:00Z";
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ev("consent.granted", "s1", at, { purpose: "ads", region: "DE", channel: "web", context: "checkout" }),
      ev("consent.denied", "s2", at, { purpose: "ads", region: "FR", context: "signup" }),
      // A context on an event that is no consent ask is no journey step.
      ev("data.collected", "s1", at, { field: "email", channel: "app", context: "profile" }),
      ev("customer.churned", "s3", at),
    ],
    "api",
  );
  await ingestEvents(
    ws.db,
    ws.id,
    [
      ev("consent.withdrawn", "s1", "2026-03-03T10:00:00Z", {
        purpose: "ads",
        region: "DE",
        context: "settings",
      }),
      ev("value.delivered", "s2", "2026-03-03T10:00:00Z", {
        purpose: "ads",
        value: { kind: "discount", amount: 5 },
        channel: "store",
        region: "AT",
      }),
    ],
    "api",
  );
  const expected = {
    regions: ["AT", "DE", "FR"],
    channels: ["app", "store", "web"],
    contexts: ["checkout", "settings", "signup"],
  };
  const kept = await computeInsight(ws.db, { workspaceId: ws.id, role: "marketer" }, "filter-options", {});
  expect(kept).toEqual(expected);

  // The same lists as the events' distinct values (the scan the lists replace)…
  const seen = await rows<{ region: string | null; channel: string | null; context: string | null }>(
    ws.db,
    sql`SELECT region, channel, CASE WHEN type LIKE 'consent.%' THEN context END AS context
        FROM events WHERE workspace_id = ${ws.id} GROUP BY 1, 2, 3`,
  );
  const distinct = (pick: (r: (typeof seen)[number]) => string | null) =>
    [...new Set(seen.flatMap((r) => pick(r) ?? []))].sort();
  expect({
    regions: distinct((r) => r.region),
    channels: distinct((r) => r.channel),
    contexts: distinct((r) => r.context),
  }).toEqual(expected);

  // …and what the migration that added the table fills it with from the events.
  await withBackfill(
    ws,
    "0016_event_dimension_values.sql",
    "event_dimension_values",
    async (copy, statement) => {
      expect(statement.split(`"workspace_id" = ${ws.id}`)).toHaveLength(4);
      await ws.db.execute(sql.raw(statement));
      const listed = async (table: string) =>
        rows(
          ws.db,
          sql.raw(
            `SELECT dimension, value FROM ${table} WHERE workspace_id = ${ws.id} ORDER BY dimension, value`,
          ),
        );
      expect(await listed(copy)).toEqual(await listed("event_dimension_values"));
    },
  );

  // Listed from the kept table alone: with the events gone the lists stay.
  await ws.db.execute(sql`DELETE FROM events WHERE workspace_id = ${ws.id}`);
  expect(await computeInsight(ws.db, { workspaceId: ws.id, role: "marketer" }, "filter-options", {})).toEqual(
    expected,
  );
});

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { GET, POST } from "@/app/api/v1/snapshots/route";
import {
  overviewSnapshotData,
  viewOfSnapshot,
  type SnapshotData,
} from "@/app/(dashboard)/overview/snapshot/data";
import { listAudit } from "@/lib/audit";
import { computeMetric } from "@/lib/metrics";
import { kpiOf } from "@/lib/metrics/overall-rates";
import { ingestEvents } from "@/lib/ingest";
import { overviewSnapshots } from "@/db/schema";
import { getSnapshot, SNAPSHOTS_PER_HOUR } from "@/lib/snapshots";
import { addMember, request, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";

let ws: TestWorkspace;
let other: TestWorkspace;
let exec: TestMember;
let outsider: TestMember;

const consent = (id: string, subject: string, type: string, at: string) => ({
  id,
  type,
  subject,
  occurred_at: at,
  purpose: "ads",
  region: "DE",
});

const view = { from: "2026-03-01", to: "2026-04-01" };

beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace();
  other = await freshWorkspace();
  exec = await addMember(ws, "executive");
  outsider = await addMember(other, "admin");
  await ingestEvents(
    ws.db,
    ws.id,
    [
      consent("g1", "s1", "consent.granted", "2026-03-02T10:00:00Z"),
      consent("d1", "s2", "consent.denied", "2026-03-03T10:00:00Z"),
      consent("d2", "s3", "consent.denied", "2026-03-04T10:00:00Z"),
    ],
    "api",
  );
});

const save = (body: unknown, who: TestMember = exec) =>
  POST(request("/api/v1/snapshots", { method: "POST", cookie: who.cookie, body }), undefined);

const optInNow = (d: SnapshotData) => {
  const rate = kpiOf(d.overall, "opt_in_rate");
  return { answered: rate.denominator, granted: rate.numerator };
};

describe("saved Overview snapshots", () => {
  test("an executive saves the Overview; its numbers stay as saved when later events change the live view", async () => {
    const res = await save(view);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; url: string };
    expect(body.url).toBe(`/overview/snapshot/${body.id}`);
    const stored = await getSnapshot<SnapshotData>(ws.db, exec.actor, String(body.id));
    expect(stored.view).toEqual(view);
    expect(stored.createdBy).toBe(exec.actor.label);
    expect(optInNow(stored.payload)).toEqual({ answered: 3, granted: 1 });

    // Two late answers inside the saved period: the live snapshot changes, the saved one does not.
    await ingestEvents(
      ws.db,
      ws.id,
      [
        consent("g2", "s4", "consent.granted", "2026-03-10T10:00:00Z"),
        consent("g3", "s5", "consent.granted", "2026-03-11T10:00:00Z"),
      ],
      "api",
    );
    const live = await overviewSnapshotData(
      (name, params) => computeMetric(ws.db, ws.id, name, params),
      viewOfSnapshot(view),
    );
    expect(optInNow(live)).toEqual({ answered: 5, granted: 3 });
    const again = await getSnapshot<SnapshotData>(ws.db, exec.actor, String(body.id));
    expect(optInNow(again.payload)).toEqual({ answered: 3, granted: 1 });
    expect(again.payload.computedAt).toBe(stored.payload.computedAt);

    const audit = await listAudit(ws.db, { ...exec.actor, role: "admin" }, { action: "snapshot.saved" });
    expect(audit.map((a) => [a.actor, a.target, a.details])).toEqual([
      [exec.actor.label, String(body.id), { period: "2026-03-01 to 2026-04-01" }],
    ]);

    const listed = (await (
      await GET(request("/api/v1/snapshots", { cookie: exec.cookie }), undefined)
    ).json()) as {
      snapshots: { id: number }[];
    };
    expect(listed.snapshots.map((s) => s.id)).toContain(body.id);
  });

  test("a snapshot of another workspace is not found, and not listed", async () => {
    const res = await save({ ...view, region: "DE" });
    const { id } = (await res.json()) as { id: number };
    await expect(getSnapshot(other.db, outsider.actor, String(id))).rejects.toThrow(
      `there is no snapshot ${id} in this workspace`,
    );
    const listed = (await (
      await GET(request("/api/v1/snapshots", { cookie: outsider.cookie }), undefined)
    ).json()) as {
      snapshots: unknown[];
    };
    expect(listed.snapshots).toEqual([]);
  });

  test.each([
    [{ from: "2026-04-01", to: "2026-03-01" }, "from: from must be before to"],
    [{ from: "2026-13-01", to: "2026-14-01" }, "from: expected a day, YYYY-MM-DD"],
    [{ ...view, purpose: "ads" }, 'Unrecognized key: "purpose"'],
  ])(
    "a bad view %j is refused with a message that names it, and nothing is stored",
    async (body, message) => {
      const before = (await (
        await GET(request("/api/v1/snapshots", { cookie: exec.cookie }), undefined)
      ).json()) as {
        snapshots: unknown[];
      };
      const res = await save(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(message);
      const after = (await (
        await GET(request("/api/v1/snapshots", { cookie: exec.cookie }), undefined)
      ).json()) as {
        snapshots: unknown[];
      };
      expect(after.snapshots.length).toBe(before.snapshots.length);
    },
  );

  test("a person who saved the hour's allowance gets 429 with the wait, before any metric is read; others still save", async () => {
    const busy = await addMember(ws, "marketer");
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const stored = (createdAt: Date) => ({
      workspaceId: ws.id,
      view,
      payload: {},
      createdBy: busy.actor.label,
      createdAt,
    });
    // One saved two hours ago does not count; the hour's allowance less one, the oldest 50 minutes ago.
    await ws.db
      .insert(overviewSnapshots)
      .values([stored(ago(120)), ...Array.from({ length: SNAPSHOTS_PER_HOUR - 1 }, () => stored(ago(50)))]);
    expect((await save(view, busy)).status).toBe(201);

    const refused = await save(view, busy);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(9 * 60);
    expect(wait).toBeLessThanOrEqual(10 * 60);
    expect(((await refused.json()) as { message: string }).message).toBe(
      `you saved ${SNAPSHOTS_PER_HOUR} snapshots in the last hour, the most allowed: try again in 10 min`,
    );
    const rows = await ws.db.select().from(overviewSnapshots).where(eq(overviewSnapshots.workspaceId, ws.id));
    expect(rows.filter((r) => r.createdBy === busy.actor.label)).toHaveLength(SNAPSHOTS_PER_HOUR + 1);
    expect((await save(view)).status).toBe(201);
  });

  test("a malformed id is a clear error, not a database error", async () => {
    await expect(getSnapshot(ws.db, exec.actor, "1; drop table")).rejects.toThrow(
      "snapshot id: expected a number, got '1; drop table'",
    );
  });
});

import { beforeAll, describe, expect, test } from "vitest";
import { audienceCount, countHoldings } from "@/lib/campaigns";
import { at, campaignTeam, send, type CampaignTeam, type EventInput } from "./helpers";

let team: CampaignTeam;
const nobody: { purpose: string | null; region: string | null; channel: string | null } = {
  purpose: null,
  region: null,
  channel: null,
};
const count = (filter: Partial<typeof nobody> = {}, day = 200) =>
  countHoldings(team.ws.db, team.ws.id, { field: "birthday", ...nobody, ...filter }, new Date(at(day)));

const collected = (subject: string, day: number, extra: Record<string, unknown> = {}): EventInput => ({
  type: "data.collected",
  subject,
  field: "birthday",
  occurred_at: at(day),
  ...extra,
});

beforeAll(async () => {
  team = await campaignTeam();
  await send(team.ws, [
    collected("cus_dormant", 0, { region: "DE", channel: "web" }),
    // Deleted after its latest collection: no holding.
    collected("cus_deleted", 0),
    { type: "data.deleted", subject: "cus_deleted", field: "birthday", occurred_at: at(5) },
    // Collected again after a deletion: a holding again.
    collected("cus_recollected", 0),
    { type: "data.deleted", subject: "cus_recollected", field: "birthday", occurred_at: at(1) },
    collected("cus_recollected", 2),
    // Used for this subject inside the window (at − 180 days, at]: a holding, not dormant.
    collected("cus_used", 0),
    {
      type: "data.used",
      subject: "cus_used",
      field: "birthday",
      purpose: "personalised-offers",
      occurred_at: at(150),
    },
    // Used before the window: still dormant.
    collected("cus_used_long_ago", 0),
    {
      type: "data.used",
      subject: "cus_used_long_ago",
      field: "birthday",
      purpose: "personalised-offers",
      occurred_at: at(10),
    },
    // Collected within the window: a holding, not yet dormant.
    collected("cus_recent", 100),
    // Same instant, the deletion arrives after the collection: deleted (arrival decides a tie).
    collected("cus_tie", 0),
    { type: "data.deleted", subject: "cus_tie", field: "birthday", occurred_at: at(0) },
    // Region and channel are the latest non-empty values: moved from DE to FR.
    collected("cus_moved", 0, { region: "DE", channel: "app" }),
    { type: "consent.granted", subject: "cus_moved", purpose: "ads", region: "FR", occurred_at: at(30) },
    { type: "consent.granted", subject: "cus_moved", purpose: "personalised-offers", occurred_at: at(40) },
    { type: "consent.granted", subject: "cus_dormant", purpose: "personalised-offers", occurred_at: at(3) },
    {
      type: "consent.withdrawn",
      subject: "cus_dormant",
      purpose: "personalised-offers",
      occurred_at: at(60),
    },
  ]);
});

describe("the audience: dormant holdings at this moment (SPEC section 4)", () => {
  test("holdings exclude deleted ones; dormant excludes recent and recently used ones", async () => {
    // Holdings: dormant, recollected, used, used_long_ago, recent, moved. Dormant: dormant, recollected, used_long_ago, moved.
    expect(await count()).toEqual({ holdings: 6, audience: 4 });
  });

  test("before the dormancy window has passed nothing is dormant", async () => {
    expect(await count({}, 100)).toEqual({ holdings: 6, audience: 0 });
  });

  test("a bulk use of the field inside the window makes no holding dormant", async () => {
    const before = await count({}, 320);
    await send(team.ws, [
      { type: "data.used", field: "birthday", purpose: "analytics", occurred_at: at(315) },
    ]);
    expect(before.audience).toBeGreaterThan(0);
    expect(await count({}, 320)).toEqual({ holdings: before.holdings, audience: 0 });
    expect(await count()).toEqual({ holdings: 6, audience: 4 });
  });

  test("region and channel filters use each subject's latest non-empty value", async () => {
    expect(await count({ region: "DE" })).toEqual({ holdings: 1, audience: 1 });
    expect(await count({ region: "FR" })).toEqual({ holdings: 1, audience: 1 });
    expect(await count({ channel: "app" })).toEqual({ holdings: 1, audience: 1 });
  });

  test("a purpose keeps the subjects whose consent for it is granted", async () => {
    expect(await count({ purpose: "personalised-offers" })).toEqual({ holdings: 1, audience: 1 });
  });

  test("the live count is for members who may read campaigns, and names an unknown field or a region no event has", async () => {
    const live = await audienceCount(team.ws.db, team.privacy.actor, { field: "birthday", at: at(200) });
    expect(live).toMatchObject({ field: "birthday", holdings: 6, audience: 4 });
    await expect(audienceCount(team.ws.db, team.marketer.actor, { field: "birthday" })).rejects.toMatchObject(
      { code: "forbidden" },
    );
    await expect(audienceCount(team.ws.db, team.privacy.actor, { field: "shoe-size" })).rejects.toThrow(
      "unknown field 'shoe-size'",
    );
    // A region no event has (the events say DE and FR) is named, not counted as an audience of nobody.
    await expect(
      audienceCount(team.ws.db, team.privacy.actor, { field: "birthday", region: "UK" }),
    ).rejects.toThrow("region: no event has region 'UK' in this workspace (seen: DE, FR)");
  });
});

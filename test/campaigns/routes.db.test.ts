import { beforeAll, describe, expect, test } from "vitest";
import { GET as audienceGET } from "@/app/api/v1/campaigns/audience/route";
import { GET as messageGET } from "@/app/api/v1/campaigns/message/route";
import { GET as listGET, POST as createPOST } from "@/app/api/v1/campaigns/route";
import { GET as detailGET, PATCH as detailPATCH } from "@/app/api/v1/campaigns/[id]/route";
import { GET as handoffGET } from "@/app/api/v1/campaigns/[id]/handoff/route";
import { GET as resultsGET } from "@/app/api/v1/campaigns/[id]/results/route";
import { POST as stepPOST } from "@/app/api/v1/campaigns/[id]/[step]/route";
import type { CampaignDetail } from "@/lib/campaigns";
import { params, request, routesUseTestDatabase, type TestMember } from "../helpers/auth";
import { birthdays, campaignTeam, draft, send, type CampaignTeam } from "./helpers";

let team: CampaignTeam;

beforeAll(async () => {
  await routesUseTestDatabase();
  team = await campaignTeam();
  await send(team.ws, birthdays(30));
});

const create = (who: TestMember, body: unknown = draft()) =>
  createPOST(request("/api/v1/campaigns", { method: "POST", cookie: who.cookie, body }), undefined);
const step = (who: TestMember, id: string, name: string, body?: unknown) =>
  stepPOST(
    request(`/api/v1/campaigns/${id}/${name}`, { method: "POST", cookie: who.cookie, body }),
    params({ id, step: name }),
  );
const detail = async (who: TestMember, id: string) =>
  (await (
    await detailGET(request(`/api/v1/campaigns/${id}`, { cookie: who.cookie }), params({ id }))
  ).json()) as CampaignDetail;

async function created(who: TestMember): Promise<string> {
  const res = await create(who);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("campaign routes", () => {
  test("a marketer cannot create, launch or even list campaigns (403); signed out is 401", async () => {
    const id = await created(team.privacy);
    expect((await create(team.marketer)).status).toBe(403);
    expect((await step(team.marketer, id, "launch")).status).toBe(403);
    expect((await step(team.executive, id, "launch")).status).toBe(403);
    expect(
      (await listGET(request("/api/v1/campaigns", { cookie: team.marketer.cookie }), undefined)).status,
    ).toBe(403);
    expect((await listGET(request("/api/v1/campaigns"), undefined)).status).toBe(401);
  });

  test("a state change from another site is refused", async () => {
    const res = await createPOST(
      request("/api/v1/campaigns", {
        method: "POST",
        cookie: team.privacy.cookie,
        body: draft(),
        origin: "https://evil.example",
      }),
      undefined,
    );
    expect(res.status).toBe(403);
  });

  test("the whole journey through the API: create, edit, submit, approve by another user, launch once, hand-off", async () => {
    const id = await created(team.privacy);
    const edited = await detailPATCH(
      request(`/api/v1/campaigns/${id}`, {
        method: "PATCH",
        cookie: team.privacy.cookie,
        body: draft({ name: "Birthdays back", holdout_percent: 20 }),
      }),
      params({ id }),
    );
    expect(edited.status).toBe(200);
    expect((await step(team.privacy, id, "submit")).status).toBe(200);
    const own = await step(team.privacy, id, "approve", { comment: "mine" });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { message: string }).message).toContain("four eyes");
    expect((await step(team.privacy2, id, "approve", { comment: "Fine by me" })).status).toBe(200);
    const launched = await step(team.privacy, id, "launch");
    expect(launched.status).toBe(200);
    expect(await launched.json()).toMatchObject({ id, audience: 30 });
    expect((await step(team.privacy, id, "launch")).status).toBe(409);
    const c = await detail(team.privacy, id);
    expect(c).toMatchObject({
      status: "launched",
      name: "Birthdays back",
      holdout_percent: 20,
      audience: 30,
      confirmed: 0,
    });
    const csv = await handoffGET(
      request(`/api/v1/campaigns/${id}/handoff`, { cookie: team.privacy.cookie }),
      params({ id }),
    );
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain(`${id}-handoff.csv`);
    expect((await csv.text()).trimEnd().split("\r\n")).toHaveLength(1 + (c.contacted ?? 0));
    const results = await resultsGET(
      request(`/api/v1/campaigns/${id}/results`, { cookie: team.privacy.cookie }),
      params({ id }),
    );
    expect(await results.json()).toMatchObject({
      campaign: id,
      horizons: [{ days: 30, available: false }, { days: 60 }, { days: 90 }],
    });
  });

  test("an unknown step is 404, a bad body 400, a wrong state 409", async () => {
    const id = await created(team.privacy);
    expect((await step(team.privacy, id, "explode")).status).toBe(404);
    expect((await step(team.privacy, id, "launch")).status).toBe(409);
    expect((await create(team.privacy, draft({ holdout_percent: "lots" }))).status).toBe(400);
  });

  test("the live audience and message preview answer as the draft changes", async () => {
    const audience = await audienceGET(
      request("/api/v1/campaigns/audience?field=birthday&region=", { cookie: team.privacy.cookie }),
      undefined,
    );
    expect(await audience.json()).toMatchObject({ field: "birthday", audience: 30, holdings: 30 });
    for (const [name, value] of [
      ["at", "yesterday"],
      ["compare_at", "2026-13-01T00:00:00Z"],
      ["at", "2026-06-01"],
    ]) {
      const bad = await audienceGET(
        request(`/api/v1/campaigns/audience?field=birthday&${name}=${value}`, {
          cookie: team.privacy.cookie,
        }),
        undefined,
      );
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toBe(
        `${name}: expected an ISO-8601 instant with offset (2026-01-01T00:00:00Z), got '${value}'`,
      );
    }
    const url = `/api/v1/campaigns/message?field=birthday&action=release&purpose=personalised-offers&template=${encodeURIComponent("Your {field}: we gave back {purpose}.")}`;
    const message = await messageGET(request(url, { cookie: team.privacy.cookie }), undefined);
    expect(await message.json()).toEqual({
      template: "Your {field}: we gave back {purpose}.",
      message: "Your birthday: we gave back personalised offers.",
    });
    const fallback = await messageGET(
      request("/api/v1/campaigns/message?field=birthday&action=ask", { cookie: team.privacy.cookie }),
      undefined,
    );
    expect(((await fallback.json()) as { message: string }).message).toContain(
      "keep it, or shall we delete it",
    );
  });

  test("the list shows each campaign with its status, field and audience", async () => {
    const res = await listGET(request("/api/v1/campaigns", { cookie: team.admin.cookie }), undefined);
    const list = (await res.json()) as { id: string; status: string; field_name: string; audience: number }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]).toMatchObject({ field_name: "Birthday", audience: 30 });
  });
});

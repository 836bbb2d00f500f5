import { beforeAll, describe, expect, test } from "vitest";
import {
  approveCampaign,
  campaignResults,
  createCampaign,
  getCampaign,
  isHeldOut,
  launchCampaign,
  submitCampaign,
  type CampaignResults,
} from "@/lib/campaigns";
import { at, campaignTeam, draft, send, type CampaignTeam, type EventInput } from "./helpers";

/*
 * A hand-checked fixture: 10 contacted recipients (R0..R9) and 6 held out (H0..H5), launched on day 200 with a
 * 50% holdout. Subjects are picked by their hash so that the groups have exactly these sizes.
 */
let team: CampaignTeam;
let results: CampaignResults;
let id: string;
const LAUNCH = 200;

beforeAll(async () => {
  team = await campaignTeam();
  ({ id } = await createCampaign(team.ws.db, team.privacy.actor, draft({ holdout_percent: 50 })));
  const candidates = Array.from({ length: 200 }, (_, i) => `cus_r${i}`);
  const R = candidates.filter((s) => !isHeldOut(id, s, 50)).slice(0, 10);
  const H = candidates.filter((s) => isHeldOut(id, s, 50)).slice(0, 6);
  const r = (i: number) => R[i]!;
  const h = (i: number) => H[i]!;
  const ev = (
    type: string,
    subject: string,
    day: number,
    extra: Record<string, unknown> = {},
  ): EventInput => ({ type, subject, occurred_at: at(day, 2), ...extra });
  await send(
    team.ws,
    [...R, ...H].map((s) => ev("data.collected", s, 0, { field: "birthday" })),
  );
  // Answered before the launch: not in any window.
  await send(team.ws, [ev("consent.granted", r(8), 150, { purpose: "ads" })]);
  await submitCampaign(team.ws.db, team.privacy.actor, id);
  await approveCampaign(team.ws.db, team.privacy2.actor, id);
  await launchCampaign(team.ws.db, team.privacy.actor, id, new Date(at(LAUNCH)));
  await send(team.ws, [
    // Churn: R0, R1 by day 30, R2 by day 60; H0–H2 by day 30, H3 by day 90.
    ...[r(0), r(1), h(0), h(1), h(2)].map((s) => ev("customer.churned", s, 210)),
    ev("customer.churned", r(2), 250),
    ev("customer.churned", h(3), 280),
    // Opt-in for the other purposes: R 5 of 7 by day 30 (R6's latest answer is yes), R9 says yes on day 240; H 2 of 5.
    ...[0, 1, 2, 3].map((i) => ev("consent.granted", r(i), 205, { purpose: "ads" })),
    ...[4, 5, 6].map((i) => ev("consent.denied", r(i), 205, { purpose: "ads" })),
    ev("consent.granted", r(6), 206, { purpose: "ads" }),
    ev("consent.granted", r(9), 240, { purpose: "ads" }),
    ...[0, 1].map((i) => ev("consent.granted", h(i), 205, { purpose: "ads" })),
    ...[2, 3, 4].map((i) => ev("consent.denied", h(i), 205, { purpose: "ads" })),
    // Trust: R's latest ratings 10, 9, 9, 7, 3 (R0 first said 2); H 9, 5, 4, 6.
    ev("trust.rated", r(0), 201, { score: 2 }),
    ...[10, 9, 9, 7, 3].map((score, i) => ev("trust.rated", r(i), 205, { score })),
    ...[9, 5, 4, 6].map((score, i) => ev("trust.rated", h(i), 205, { score })),
    // Removed: every contacted recipient confirms the deletion; one holdout customer has theirs deleted on request.
    ...R.map((s) => ev("data.deleted", s, 203, { field: "birthday", campaign: id })),
    ev("data.deleted", h(5), 215, { field: "birthday", source: "dsar" }),
  ]);
  results = await campaignResults(team.ws.db, team.privacy.actor, id);
});

const horizon = (days: number) => results.horizons.find((x) => x.days === days)!;

describe("results against the holdout", () => {
  test("churn rate: two-proportion difference and 95% interval, as computed by hand", () => {
    expect(horizon(30).churn).toMatchObject({
      recipients: { n: 10, x: 2, rate: 0.2 },
      holdout: { n: 6, x: 3, rate: 0.5 },
    });
    expect(horizon(30).churn?.difference).toBeCloseTo(-0.3, 10);
    expect(horizon(30).churn?.ci_low).toBeCloseTo(-0.7706634947886808, 10);
    expect(horizon(30).churn?.ci_high).toBeCloseTo(0.17066349478868081, 10);
    expect(horizon(60).churn).toMatchObject({ recipients: { x: 3 }, holdout: { x: 3 } });
    expect(horizon(90).churn?.ci_low).toBeCloseTo(-0.8388391858298191, 10);
    expect(horizon(90).churn?.ci_high).toBeCloseTo(0.10550585249648581, 10);
  });

  test("opt-in rate for the other purposes counts each latest answer in the window", () => {
    expect(horizon(30).opt_in).toMatchObject({ recipients: { n: 7, x: 5 }, holdout: { n: 5, x: 2 } });
    expect(horizon(30).opt_in?.ci_low).toBeCloseTo(-0.23012764647848427, 10);
    expect(horizon(30).opt_in?.ci_high).toBeCloseTo(0.8586990750499128, 10);
    expect(horizon(60).opt_in).toMatchObject({ recipients: { n: 8, x: 6 }, holdout: { n: 5, x: 2 } });
    expect(horizon(60).opt_in?.difference).toBeCloseTo(0.35, 10);
  });

  test("trust score: promoters minus detractors in points, with the normal-approximation interval", () => {
    const t = horizon(30).trust_score!;
    expect(t.recipients).toEqual({ responses: 5, promoters: 3, detractors: 1, trust_score: 40 });
    expect(t.holdout).toEqual({ responses: 4, promoters: 1, detractors: 3, trust_score: -50 });
    expect(t.difference).toBeCloseTo(90, 10);
    expect(t.ci_low).toBeCloseTo(-20.08997492637542, 8);
    expect(t.ci_high).toBeCloseTo(200.08997492637542, 8);
  });

  test("holdings removed per group, and the campaign completed once every contacted recipient confirmed", async () => {
    expect(horizon(30).removed).toEqual({ recipients: 10, holdout: 1 });
    expect(results).toMatchObject({ recipients: 10, holdout: 6 });
    const c = await getCampaign(team.ws.db, team.privacy.actor, id);
    expect(c).toMatchObject({
      status: "completed",
      contacted: 10,
      confirmed: 10,
      pending: 0,
      outcomes: { deleted: 10 },
    });
    expect(c.completed_at).toBe(at(203, 2));
  });

  test("a window that has not passed yet is not available", async () => {
    const early = await campaignResults(team.ws.db, team.privacy.actor, id, new Date(at(LAUNCH + 45)));
    expect(early.horizons.map((x) => [x.days, x.available])).toEqual([
      [30, true],
      [60, false],
      [90, false],
    ]);
    expect(early.horizons[1]?.churn).toBeNull();
  });
});

import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { rows } from "@/db/client";
import { getCampaign, launchCampaign } from "@/lib/campaigns";
import {
  approvedCampaign,
  at,
  auditActions,
  birthdays,
  campaignTeam,
  send,
  type CampaignTeam,
} from "./helpers";

let team: CampaignTeam;

beforeEach(async () => {
  team = await campaignTeam();
  await send(team.ws, birthdays(40));
  await send(
    team.ws,
    Array.from({ length: 40 }, (_, i) => ({
      type: "consent.granted",
      subject: `cus_${i}`,
      purpose: "personalised-offers",
      occurred_at: at(1),
    })),
  );
});

async function launched(extra: Record<string, unknown> = {}) {
  const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor, extra);
  await launchCampaign(team.ws.db, team.privacy.actor, id);
  const found = await rows<{ subject: string; holdout: boolean }>(
    team.ws.db,
    sql`SELECT subject, holdout FROM campaign_recipients WHERE workspace_id = ${team.ws.id} AND campaign_id = ${id} ORDER BY subject`,
  );
  return {
    id,
    contacted: found.filter((r) => !r.holdout).map((r) => r.subject),
    holdout: found.filter((r) => r.holdout).map((r) => r.subject),
  };
}

const now = () => new Date().toISOString();
const deleted = (subject: string, campaign: string, field = "birthday") => ({
  type: "data.deleted",
  subject,
  field,
  campaign,
  occurred_at: now(),
});

describe("confirmations from events carrying the campaign id", () => {
  test("data.deleted events confirm recipients; the last one completes the campaign", async () => {
    const { id, contacted } = await launched();
    const [first, ...rest] = contacted;
    await send(team.ws, [deleted(first!, id)]);
    expect(await getCampaign(team.ws.db, team.privacy.actor, id)).toMatchObject({
      status: "launched",
      confirmed: 1,
      pending: contacted.length - 1,
    });
    await send(
      team.ws,
      rest.map((s) => deleted(s, id)),
    );
    const done = await getCampaign(team.ws.db, team.privacy.actor, id);
    expect(done).toMatchObject({
      status: "completed",
      confirmed: contacted.length,
      pending: 0,
      outcomes: { deleted: contacted.length },
    });
    expect(done.completed_at).not.toBeNull();
    expect((await auditActions(team.ws, id)).at(-1)).toBe("campaign.complete");
  });

  test("events for another field, without the campaign id, or for the holdout confirm nothing", async () => {
    // A half holdout, so this one always has a holdout member (at 10% of 40, none in about 1.5% of runs).
    const { id, contacted, holdout } = await launched({ holdout_percent: 50 });
    expect(holdout.length).toBeGreaterThan(0);
    await send(team.ws, [
      deleted(contacted[0]!, id, "email"),
      { type: "data.deleted", subject: contacted[1]!, field: "birthday", occurred_at: now() },
      deleted(holdout[0]!, id),
      deleted(contacted[2]!, "cmp_someone_else"),
    ]);
    expect(await getCampaign(team.ws.db, team.privacy.actor, id)).toMatchObject({
      status: "launched",
      confirmed: 0,
    });
  });

  test("a release is confirmed by consent.withdrawn for its purpose", async () => {
    const { id, contacted } = await launched({ action: "release", purpose: "personalised-offers" });
    await send(team.ws, [
      deleted(contacted[0]!, id),
      { type: "consent.withdrawn", subject: contacted[1]!, purpose: "ads", campaign: id, occurred_at: now() },
      {
        type: "consent.withdrawn",
        subject: contacted[2]!,
        purpose: "personalised-offers",
        campaign: id,
        source: "campaign",
        occurred_at: now(),
      },
    ]);
    expect(await getCampaign(team.ws.db, team.privacy.actor, id)).toMatchObject({
      confirmed: 1,
      outcomes: { released: 1, deleted: 0 },
    });
  });

  test("an ask is confirmed by a deletion or by the customer keeping the field (collected again)", async () => {
    const { id, contacted } = await launched({ action: "ask" });
    const [keep, ...remove] = contacted;
    await send(team.ws, [
      { type: "data.collected", subject: keep!, field: "birthday", campaign: id, occurred_at: now() },
      ...remove.map((s) => deleted(s, id)),
    ]);
    expect(await getCampaign(team.ws.db, team.privacy.actor, id)).toMatchObject({
      status: "completed",
      outcomes: { kept: 1, deleted: remove.length },
    });
  });

  test("a repeated confirmation keeps the first one", async () => {
    const { id, contacted } = await launched();
    await send(team.ws, [deleted(contacted[0]!, id)]);
    const [before] = await rows<{ confirmed_event_id: string }>(
      team.ws.db,
      sql`SELECT confirmed_event_id FROM campaign_recipients WHERE workspace_id = ${team.ws.id} AND campaign_id = ${id} AND subject = ${contacted[0]!}`,
    );
    await send(team.ws, [deleted(contacted[0]!, id)]);
    const [after] = await rows<{ confirmed_event_id: string }>(
      team.ws.db,
      sql`SELECT confirmed_event_id FROM campaign_recipients WHERE workspace_id = ${team.ws.id} AND campaign_id = ${id} AND subject = ${contacted[0]!}`,
    );
    expect(after).toEqual(before);
    expect((await getCampaign(team.ws.db, team.privacy.actor, id)).confirmed).toBe(1);
  });
});

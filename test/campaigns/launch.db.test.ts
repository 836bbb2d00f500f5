import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { rows } from "@/db/client";
import { workspaces } from "@/db/schema";
import {
  countHoldings,
  deliverCampaign,
  getCampaign,
  handoffFile,
  isHeldOut,
  launchCampaign,
  retryDelivery,
  WEBHOOK_BATCH_SIZE,
} from "@/lib/campaigns";
import { approvedCampaign, auditActions, birthdays, campaignTeam, send, type CampaignTeam } from "./helpers";
import { restoreEnv } from "../helpers/env";
import { startReceiver, type Receiver } from "./receiver";

const SECRET = "whsec_test_0123456789abcdef";
const fast = { backoffMs: 5, timeoutMs: 5000 };
let team: CampaignTeam;
let receiver: Receiver | undefined;

async function useWebhook(r: Receiver | null): Promise<void> {
  await team.ws.db
    .update(workspaces)
    .set({ webhookUrl: r?.url ?? null, webhookSecret: r ? SECRET : null })
    .where(eq(workspaces.id, team.ws.id));
}

async function recipients(
  id: string,
): Promise<{ subject: string; holdout: boolean; batch: number | null }[]> {
  return rows(
    team.ws.db,
    sql`SELECT subject, holdout, batch FROM campaign_recipients WHERE workspace_id = ${team.ws.id} AND campaign_id = ${id} ORDER BY subject`,
  );
}

const acceptedSubjects = (r: Receiver) =>
  [...r.accepted.values()].flatMap((b) => b.body.recipients.map((x) => x.subject));

// The receiver runs on this machine: allowed only with the development setting (lib/campaigns/webhook-target.ts).
const loopbackSetting = process.env.TL_WEBHOOK_ALLOW_LOOPBACK;

beforeEach(async () => {
  process.env.TL_WEBHOOK_ALLOW_LOOPBACK = "1";
  team = await campaignTeam();
  await send(team.ws, birthdays(1200));
});

afterEach(async () => {
  restoreEnv("TL_WEBHOOK_ALLOW_LOOPBACK", loopbackSetting);
  await receiver?.close();
  receiver = undefined;
});

describe("launch", () => {
  test("launch freezes the dormant audience; the holdout is the deterministic hash and is not contacted", async () => {
    const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
    const launch = await launchCampaign(team.ws.db, team.privacy.actor, id);
    const frozen = await recipients(id);
    expect(frozen).toHaveLength(1200);
    for (const r of frozen) expect(r.holdout).toBe(isHeldOut(id, r.subject, 10));
    expect(launch).toMatchObject({
      audience: 1200,
      holdout: frozen.filter((r) => r.holdout).length,
      batches: 0,
    });
    // The share held out is a hash of (campaign, subject): about 10% ± 0.9% (one standard deviation) of 1,200.
    expect(Math.abs(launch.holdout / 1200 - 0.1)).toBeLessThan(0.05);
    // New dormant holdings after launch do not join a frozen audience.
    await send(team.ws, birthdays(5, "late"));
    expect((await recipients(id)).length).toBe(1200);
  });

  test("the hand-off CSV has one row per contacted recipient: subject, field, action, message", async () => {
    const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
    await expect(handoffFile(team.ws.db, team.privacy.actor, id)).rejects.toMatchObject({ code: "conflict" });
    await launchCampaign(team.ws.db, team.privacy.actor, id);
    const { body: csv, rows: n } = await handoffFile(team.ws.db, team.privacy.actor, id);
    const lines = csv.trimEnd().split("\r\n");
    const contacted = (await recipients(id))
      .filter((r) => !r.holdout)
      .map((r) => r.subject)
      .sort();
    expect(lines[0]).toBe("subject,field,action,message");
    expect(n).toBe(contacted.length);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",")[0])
        .sort(),
    ).toEqual(contacted);
    expect(lines[1]).toMatch(
      /^cus_\d+,birthday,delete,"We are not using your birthday for anything that helps you, so we have deleted it\."$/,
    );
    await expect(handoffFile(team.ws.db, team.marketer.actor, id)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await auditActions(team.ws, id)).toContain("campaign.handoff_download");
  });

  test("launching twice, even at once, freezes and sends once", async () => {
    receiver = await startReceiver(SECRET);
    await useWebhook(receiver);
    const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
    const outcomes = await Promise.allSettled([
      launchCampaign(team.ws.db, team.privacy.actor, id),
      launchCampaign(team.ws.db, team.admin.actor, id),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    await expect(launchCampaign(team.ws.db, team.privacy.actor, id)).rejects.toMatchObject({
      code: "conflict",
    });
    await Promise.all([
      deliverCampaign(team.ws.db, team.ws.id, id, fast),
      deliverCampaign(team.ws.db, team.ws.id, id, fast),
    ]);
    await deliverCampaign(team.ws.db, team.ws.id, id, fast);
    const contacted = (await recipients(id)).filter((r) => !r.holdout).length;
    expect(receiver.requests.length).toBe(Math.ceil(contacted / WEBHOOK_BATCH_SIZE));
    expect(acceptedSubjects(receiver)).toHaveLength(contacted);
    expect((await auditActions(team.ws, id)).filter((a) => a === "campaign.launch")).toHaveLength(1);
  });

  test("the receiver verifies every signature and gets every recipient exactly once when it fails first attempts", async () => {
    receiver = await startReceiver(SECRET, { failFirst: true });
    await useWebhook(receiver);
    const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
    const launch = await launchCampaign(team.ws.db, team.privacy.actor, id);
    expect(launch.batches).toBe(Math.ceil(launch.contacted / WEBHOOK_BATCH_SIZE));
    expect(await deliverCampaign(team.ws.db, team.ws.id, id, fast)).toEqual({
      delivered: launch.batches,
      failed: 0,
    });
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    expect(receiver.requests).toHaveLength(2 * launch.batches);
    const subjects = acceptedSubjects(receiver);
    const contacted = (await recipients(id)).filter((r) => !r.holdout).map((r) => r.subject);
    expect(subjects.sort()).toEqual(contacted.sort());
    expect(new Set(subjects).size).toBe(subjects.length);
    const detail = await getCampaign(team.ws.db, team.privacy.actor, id);
    expect(detail.delivery).toMatchObject({
      webhook: true,
      batches: launch.batches,
      delivered: launch.batches,
      pending: 0,
      failed: 0,
    });
    expect(detail.delivery_log).toHaveLength(2 * launch.batches);
    expect(detail.delivery_log.map((l) => l.status_code).sort()).toEqual([
      ...Array(launch.batches).fill(200),
      ...Array(launch.batches).fill(503),
    ]);
    // The status and the size of the answer are kept, never its body ("try again").
    expect(detail.delivery_log.find((l) => l.status_code === 503)).toMatchObject({
      attempt: 1,
      error: "HTTP 503",
      response_bytes: 9,
    });
    expect((await auditActions(team.ws, id)).filter((a) => a === "campaign.webhook_delivery")).toHaveLength(
      launch.batches,
    );
  });

  test("a batch the receiver refuses is failed after its attempts, shown, and sent again on retry", async () => {
    receiver = await startReceiver(SECRET, { status: 500 });
    await useWebhook(receiver);
    const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
    const launch = await launchCampaign(team.ws.db, team.privacy.actor, id);
    expect(await deliverCampaign(team.ws.db, team.ws.id, id, { ...fast, maxAttempts: 3 })).toEqual({
      delivered: 0,
      failed: launch.batches,
    });
    const failed = await getCampaign(team.ws.db, team.privacy.actor, id);
    expect(failed.delivery).toMatchObject({ failed: launch.batches, recipients_failed: launch.contacted });
    expect(failed.delivery_log).toHaveLength(3 * launch.batches);
    expect(failed.can.retry_delivery).toBe(true);
    // The receiver comes back at the URL the campaign was approved with.
    const port = Number(new URL(receiver.url).port);
    await receiver.close();
    receiver = await startReceiver(SECRET, { port });
    expect(await retryDelivery(team.ws.db, team.privacy.actor, id)).toEqual({ queued: launch.batches });
    expect(await deliverCampaign(team.ws.db, team.ws.id, id, fast)).toEqual({
      delivered: launch.batches,
      failed: 0,
    });
    expect(acceptedSubjects(receiver)).toHaveLength(launch.contacted);
    expect((await getCampaign(team.ws.db, team.privacy.actor, id)).delivery_log.at(0)?.attempt).toBe(4);
  });

  test("an empty audience cannot be launched and the campaign stays approved", async () => {
    const ws2 = await campaignTeam();
    const id = await approvedCampaign(ws2.ws, ws2.privacy.actor, ws2.privacy2.actor);
    await expect(launchCampaign(ws2.ws.db, ws2.privacy.actor, id)).rejects.toThrow("the audience is empty");
    expect((await getCampaign(ws2.ws.db, ws2.privacy.actor, id)).status).toBe("approved");
  });

  test("the frozen audience is the live count at the launch instant", async () => {
    const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
    const instant = new Date();
    const live = await countHoldings(
      team.ws.db,
      team.ws.id,
      { field: "birthday", purpose: null, region: null, channel: null },
      instant,
    );
    expect((await launchCampaign(team.ws.db, team.privacy.actor, id, instant)).audience).toBe(live.audience);
  });
});

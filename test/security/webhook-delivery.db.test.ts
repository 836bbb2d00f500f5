/*
 * What a delivery keeps, and where it goes. The only server contacted is a receiver on 127.0.0.1, allowed by the
 * development setting TL_WEBHOOK_ALLOW_LOOPBACK=1.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, test } from "vitest";
import { auditLog, campaignDeliveries } from "@/db/schema";
import { deliverCampaign, getCampaign, launchCampaign } from "@/lib/campaigns";
import { saveWebhook } from "@/lib/settings/webhook";
import { approvedCampaign, birthdays, campaignTeam, send, type CampaignTeam } from "../campaigns/helpers";
import { startReceiver, type Receiver } from "../campaigns/receiver";
import { restoreEnv } from "../helpers/env";

const SECRET = "whsec_test_0123456789abcdef";
const loopbackSetting = process.env.TL_WEBHOOK_ALLOW_LOOPBACK;
let team: CampaignTeam;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  process.env.TL_WEBHOOK_ALLOW_LOOPBACK = "1";
  team = await campaignTeam();
  await send(team.ws, birthdays(40));
});

afterEach(async () => {
  restoreEnv("TL_WEBHOOK_ALLOW_LOOPBACK", loopbackSetting);
  for (const close of closers.splice(0)) await close();
});

async function receiverAt(): Promise<Receiver> {
  const r = await startReceiver(SECRET);
  closers.push(() => r.close());
  return r;
}

const ANSWER = "internal stack trace: db password hunter2, customer alice@example.com";

test("the answer's status and size are kept, never its body, in the delivery log and the audit log", async () => {
  const server = http.createServer((_req, res) =>
    res.writeHead(500, { "content-type": "text/plain" }).end(ANSWER),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  await saveWebhook(team.ws.db, team.admin.actor, { url, secret: { mode: "set", value: SECRET } });
  const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
  await launchCampaign(team.ws.db, team.privacy.actor, id);
  expect(await deliverCampaign(team.ws.db, team.ws.id, id, { backoffMs: 5, maxAttempts: 2 })).toEqual({
    delivered: 0,
    failed: 1,
  });

  const log = await team.ws.db
    .select()
    .from(campaignDeliveries)
    .where(and(eq(campaignDeliveries.workspaceId, team.ws.id), eq(campaignDeliveries.campaignId, id)));
  expect(log.map((l) => [l.statusCode, l.responseBytes, l.error])).toEqual([
    [500, Buffer.byteLength(ANSWER), "HTTP 500"],
    [500, Buffer.byteLength(ANSWER), "HTTP 500"],
  ]);
  const audit = await team.ws.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, team.ws.id), eq(auditLog.action, "campaign.webhook_delivery")));
  expect(audit.map((a) => a.details)).toEqual([
    {
      batch: 0,
      delivery_id: `${id}.0`,
      result: "failed",
      attempts: 2,
      status_code: 500,
      response_bytes: Buffer.byteLength(ANSWER),
      error: "HTTP 500",
    },
  ]);
  const everything = JSON.stringify([log, audit, await getCampaign(team.ws.db, team.privacy.actor, id)]);
  for (const fragment of ["hunter2", "alice@example.com", "stack trace"])
    expect(everything).not.toContain(fragment);
});

test("a redirect is not followed: the answer is logged as it came and the place it points to gets nothing", async () => {
  const elsewhere = await receiverAt();
  const server = http.createServer((_req, res) => res.writeHead(307, { location: elsewhere.url }).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await saveWebhook(team.ws.db, team.admin.actor, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    secret: { mode: "set", value: SECRET },
  });
  const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
  await launchCampaign(team.ws.db, team.privacy.actor, id);
  expect(await deliverCampaign(team.ws.db, team.ws.id, id, { backoffMs: 5 })).toEqual({
    delivered: 0,
    failed: 1,
  });
  expect(
    (await getCampaign(team.ws.db, team.privacy.actor, id)).delivery_log.map((l) => [l.status_code, l.error]),
  ).toEqual([[307, "HTTP 307"]]);
  expect(elsewhere.requests).toHaveLength(0);
});

test("an approved campaign keeps the webhook URL it was approved with: a URL changed in Settings afterwards gets nothing", async () => {
  const approved = await receiverAt();
  const later = await receiverAt();
  await saveWebhook(team.ws.db, team.admin.actor, {
    url: approved.url,
    secret: { mode: "set", value: SECRET },
  });
  const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
  await saveWebhook(team.ws.db, team.admin.actor, { url: later.url, secret: { mode: "keep" } });
  const launch = await launchCampaign(team.ws.db, team.privacy.actor, id);
  expect(await deliverCampaign(team.ws.db, team.ws.id, id, { backoffMs: 5 })).toEqual({
    delivered: launch.batches,
    failed: 0,
  });
  expect(approved.requests.length).toBe(launch.batches);
  expect(later.requests).toHaveLength(0);
  const approval = await team.ws.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, team.ws.id),
        eq(auditLog.action, "campaign.approve"),
        eq(auditLog.target, id),
      ),
    );
  expect(approval[0]?.details).toMatchObject({ webhook_url: approved.url });
});

test("a campaign approved while no webhook was set hands off by CSV only, even once a webhook is set", async () => {
  const later = await receiverAt();
  const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
  await saveWebhook(team.ws.db, team.admin.actor, { url: later.url, secret: { mode: "set", value: SECRET } });
  const launch = await launchCampaign(team.ws.db, team.privacy.actor, id);
  expect(launch.batches).toBe(0);
  expect(await deliverCampaign(team.ws.db, team.ws.id, id, { backoffMs: 5 })).toEqual({
    delivered: 0,
    failed: 0,
  });
  expect(later.requests).toHaveLength(0);
});

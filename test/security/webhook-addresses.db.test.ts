/*
 * Webhook targets. No test here sends traffic anywhere but this machine: every refused address is refused before a
 * connection is made (literal IPs, or a host name answered by a resolver the test supplies), and the only server
 * contacted is a receiver on 127.0.0.1 — which needs TL_WEBHOOK_ALLOW_LOOPBACK=1.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, test } from "vitest";
import { workspaces } from "@/db/schema";
import { deliverCampaign, getCampaign, launchCampaign } from "@/lib/campaigns";
import { refusedAddress, resolveWebhookTarget } from "@/lib/campaigns/webhook-target";
import { getWebhook, saveWebhook } from "@/lib/settings/webhook";
import { approvedCampaign, birthdays, campaignTeam, send, type CampaignTeam } from "../campaigns/helpers";
import { startReceiver, type Receiver } from "../campaigns/receiver";
import { restoreEnv } from "../helpers/env";

const SECRET = "whsec_test_0123456789abcdef";
const loopbackSetting = process.env.TL_WEBHOOK_ALLOW_LOOPBACK;
let team: CampaignTeam;
let receiver: Receiver | undefined;

beforeEach(async () => {
  delete process.env.TL_WEBHOOK_ALLOW_LOOPBACK;
  team = await campaignTeam();
});

afterEach(async () => {
  restoreEnv("TL_WEBHOOK_ALLOW_LOOPBACK", loopbackSetting);
  await receiver?.close();
  receiver = undefined;
});

const REFUSED: [url: string, message: string][] = [
  ["http://127.0.0.1:8080/hook", "url: expected an https:// URL"],
  ["https://127.0.0.1/hook", "url: 127.0.0.1 is in the loopback range: webhooks go to public addresses only"],
  [
    "https://169.254.169.254/latest/meta-data/",
    "url: 169.254.169.254 is in the link-local range: webhooks go to public addresses only",
  ],
  [
    "https://[::ffff:169.254.169.254]/",
    "url: ::ffff:a9fe:a9fe is in the IPv4-mapped range: webhooks go to public addresses only",
  ],
  ["https://10.0.0.1/", "url: 10.0.0.1 is in the private range: webhooks go to public addresses only"],
  ["https://172.20.1.1/", "url: 172.20.1.1 is in the private range: webhooks go to public addresses only"],
  [
    "https://192.168.1.10/",
    "url: 192.168.1.10 is in the private range: webhooks go to public addresses only",
  ],
  ["https://[::1]/", "url: ::1 is in the loopback range: webhooks go to public addresses only"],
  [
    "https://[fd12:3456::1]/",
    "url: fd12:3456::1 is in the unique-local range: webhooks go to public addresses only",
  ],
  ["https://[fe80::1]/", "url: fe80::1 is in the link-local range: webhooks go to public addresses only"],
  ["https://0x7f.1/", "url: 127.0.0.1 is in the loopback range: webhooks go to public addresses only"],
  ["https://2130706433/", "url: 127.0.0.1 is in the loopback range: webhooks go to public addresses only"],
  ["https://0.0.0.0/", "url: 0.0.0.0 is in the unspecified range: webhooks go to public addresses only"],
  ["https://user:pw@203.0.113.10/", "url: credentials in the URL are not accepted"],
  ["ftp://203.0.113.10/", "url: expected an https:// URL"],
];

test.each(REFUSED)("saving %s is refused (%s) and the stored URL is kept", async (url, message) => {
  await saveWebhook(team.ws.db, team.admin.actor, {
    url: "https://203.0.113.10/hook",
    secret: { mode: "generate" },
  });
  await expect(saveWebhook(team.ws.db, team.admin.actor, { url, secret: { mode: "keep" } })).rejects.toThrow(
    message,
  );
  expect((await getWebhook(team.ws.db, team.admin.actor)).url).toBe("https://203.0.113.10/hook");
});

test("a host name is refused when any address it resolves to is not public; the connection goes to the checked address", async () => {
  const answers =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  await expect(resolveWebhookTarget("https://hooks.customer.test/x", answers("10.1.2.3"))).rejects.toThrow(
    "url: hooks.customer.test resolves to 10.1.2.3, in the private range: webhooks go to public addresses only",
  );
  // One private answer among public ones is enough to refuse (a rebinding set-up).
  await expect(
    resolveWebhookTarget("https://hooks.customer.test/x", answers("203.0.113.7", "169.254.169.254")),
  ).rejects.toThrow("169.254.169.254, in the link-local range");
  await expect(
    resolveWebhookTarget("https://hooks.customer.test/x", async () => Promise.reject(new Error("ENOTFOUND"))),
  ).rejects.toThrow("url: the host hooks.customer.test does not resolve");
  const target = await resolveWebhookTarget(
    "https://hooks.customer.test/x",
    answers("203.0.113.7", "2001:db8::7"),
  );
  expect([target.url.hostname, target.address, target.family]).toEqual([
    "hooks.customer.test",
    "203.0.113.7",
    4,
  ]);
});

test("the address rules on their own: public addresses pass, every special range is named", () => {
  expect(["93.184.216.34", "203.0.113.10", "2606:4700::1111", "8.8.8.8"].map(refusedAddress)).toEqual([
    null,
    null,
    null,
    null,
  ]);
  expect(
    [
      "100.64.0.1",
      "198.18.0.1",
      "224.0.0.1",
      "::ffff:10.0.0.1",
      "64:ff9b::a00:1",
      "fec0::1",
      "ff02::1",
      "not-an-ip",
    ].map(refusedAddress),
  ).toEqual([
    "shared (carrier-grade NAT)",
    "benchmarking",
    "multicast",
    "IPv4-mapped",
    "NAT64",
    "site-local",
    "multicast",
    "not an IP",
  ]);
});

test("at send the URL is checked again: a refused address is not contacted, not retried, and the batch fails with the reason", async () => {
  receiver = await startReceiver(SECRET);
  // Written around saveWebhook (as a URL saved before these rules existed would be): only the send-time check stands.
  await team.ws.db
    .update(workspaces)
    .set({ webhookUrl: receiver.url.replace("http://", "https://"), webhookSecret: SECRET })
    .where(eq(workspaces.id, team.ws.id));
  await send(team.ws, birthdays(30));
  const id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor);
  const launch = await launchCampaign(team.ws.db, team.privacy.actor, id);
  expect(launch.batches).toBe(1);
  expect(await deliverCampaign(team.ws.db, team.ws.id, id, { backoffMs: 5, maxAttempts: 3 })).toEqual({
    delivered: 0,
    failed: 1,
  });
  expect(receiver.requests).toHaveLength(0);
  const log = (await getCampaign(team.ws.db, team.privacy.actor, id)).delivery_log;
  expect(log.map((l) => [l.attempt, l.status_code, l.response_bytes, l.error])).toEqual([
    [1, null, null, "refused: 127.0.0.1 is in the loopback range: webhooks go to public addresses only"],
  ]);
});

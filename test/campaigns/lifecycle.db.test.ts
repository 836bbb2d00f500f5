import { beforeAll, describe, expect, test } from "vitest";
import {
  approveCampaign,
  awaitingApproval,
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  getCampaign,
  launchCampaign,
  rejectCampaign,
  submitCampaign,
  updateCampaign,
} from "@/lib/campaigns";
import { auditActions, birthdays, campaignTeam, draft, send, type CampaignTeam } from "./helpers";

let team: CampaignTeam;

beforeAll(async () => {
  team = await campaignTeam();
  await send(team.ws, birthdays(20));
});

const db = () => team.ws.db;

describe("campaign lifecycle", () => {
  test("a new campaign is a draft with the action's default message and the audience at that moment", async () => {
    const { id } = await createCampaign(db(), team.privacy.actor, draft());
    const c = await getCampaign(db(), team.privacy.actor, id);
    expect(c).toMatchObject({
      status: "draft",
      field: "birthday",
      action: "delete",
      holdout_percent: 10,
      audience: 20,
      created_by: team.privacy.actor.label,
    });
    expect(c.message_text).toBe(
      "We are not using your birthday for anything that helps you, so we have deleted it.",
    );
    expect(c.can).toMatchObject({ edit: true, submit: true, approve: false, launch: false, cancel: true });
  });

  test.each([
    [{ action: "release" }, "purpose: a release hands back the permission for one purpose"],
    [{ holdout_percent: 80 }, "holdout_percent: expected at most 50"],
    [{ field: "shoe-size" }, "field: unknown field 'shoe-size'"],
    [{ message: "Your {birthday} is gone" }, "message: unknown placeholder {birthday}"],
    [{ message: "We gave back {purpose}" }, "message: {purpose} needs a purpose"],
    [{ name: "" }, "name: give the campaign a name"],
    [{ region: "UK" }, "region: no event has region 'UK' in this workspace (none seen yet)"],
    [{ channel: "fax" }, "channel: no event has channel 'fax' in this workspace (none seen yet)"],
  ])("a bad draft %j is refused: %s", async (extra, message) => {
    await expect(createCampaign(db(), team.privacy.actor, draft(extra))).rejects.toThrow(message);
  });

  test("draft → pending_approval → approved → launched, each step in the audit log", async () => {
    const { id } = await createCampaign(db(), team.privacy.actor, draft());
    await updateCampaign(
      db(),
      team.privacy.actor,
      id,
      draft({ name: "Birthdays, returned", holdout_percent: 20 }),
    );
    await submitCampaign(db(), team.privacy.actor, id);
    await expect(updateCampaign(db(), team.privacy.actor, id, draft())).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(launchCampaign(db(), team.privacy.actor, id)).rejects.toThrow("launching needs it approved");
    await approveCampaign(db(), team.privacy2.actor, id, { comment: "Looks right" });
    const approved = await getCampaign(db(), team.privacy.actor, id);
    expect(approved).toMatchObject({
      status: "approved",
      name: "Birthdays, returned",
      holdout_percent: 20,
      reviewed_by: team.privacy2.actor.label,
      review_comment: "Looks right",
    });
    await launchCampaign(db(), team.privacy.actor, id);
    expect((await getCampaign(db(), team.privacy.actor, id)).status).toBe("launched");
    await expect(cancelCampaign(db(), team.privacy.actor, id)).rejects.toMatchObject({ code: "conflict" });
    expect(await auditActions(team.ws, id)).toEqual([
      "campaign.create",
      "campaign.update",
      "campaign.submit",
      "campaign.approve",
      "campaign.launch",
    ]);
  });

  test("four eyes: the submitter cannot approve or reject, even as admin", async () => {
    const { id } = await createCampaign(db(), team.admin.actor, draft());
    await submitCampaign(db(), team.admin.actor, id);
    await expect(approveCampaign(db(), team.admin.actor, id)).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("four eyes"),
    });
    await expect(rejectCampaign(db(), team.admin.actor, id, { comment: "no" })).rejects.toMatchObject({
      code: "forbidden",
    });
    const seenBySubmitter = await getCampaign(db(), team.admin.actor, id);
    expect(seenBySubmitter.can.approve).toBe(false);
    expect(seenBySubmitter.can.approve_blocked).toContain("four eyes");
    expect((await getCampaign(db(), team.privacy.actor, id)).can.approve).toBe(true);
    await approveCampaign(db(), team.privacy.actor, id);
    expect((await getCampaign(db(), team.admin.actor, id)).status).toBe("approved");
  });

  test("a rejection needs a comment and sends the campaign back to draft with it", async () => {
    const { id } = await createCampaign(db(), team.privacy.actor, draft());
    await submitCampaign(db(), team.privacy.actor, id);
    await expect(rejectCampaign(db(), team.privacy2.actor, id, {})).rejects.toThrow("comment: say why");
    await rejectCampaign(db(), team.privacy2.actor, id, { comment: "Use a friendlier message" });
    expect(await getCampaign(db(), team.privacy.actor, id)).toMatchObject({
      status: "draft",
      review_comment: "Use a friendlier message",
    });
    expect(await auditActions(team.ws, id)).toEqual([
      "campaign.create",
      "campaign.submit",
      "campaign.reject",
    ]);
  });

  test("a campaign can be cancelled before launch, and nothing happens to it afterwards", async () => {
    const { id } = await createCampaign(db(), team.privacy.actor, draft());
    await cancelCampaign(db(), team.privacy.actor, id);
    await expect(submitCampaign(db(), team.privacy.actor, id)).rejects.toThrow("is cancelled");
    expect(await auditActions(team.ws, id)).toEqual(["campaign.create", "campaign.cancel"]);
  });

  test("a draft or a cancelled campaign can be deleted (the audit log keeps it); a submitted, approved or launched one cannot", async () => {
    const drafted = (await createCampaign(db(), team.privacy.actor, draft())).id;
    expect((await getCampaign(db(), team.privacy.actor, drafted)).can.delete).toBe(true);
    await expect(deleteCampaign(db(), team.marketer.actor, drafted)).rejects.toMatchObject({
      code: "forbidden",
    });
    await deleteCampaign(db(), team.privacy.actor, drafted);
    await expect(getCampaign(db(), team.privacy.actor, drafted)).rejects.toMatchObject({ code: "not_found" });
    expect(await auditActions(team.ws, drafted)).toEqual(["campaign.create", "campaign.delete"]);

    const cancelled = (await createCampaign(db(), team.privacy.actor, draft())).id;
    await cancelCampaign(db(), team.privacy.actor, cancelled);
    await deleteCampaign(db(), team.privacy2.actor, cancelled);
    await expect(getCampaign(db(), team.privacy.actor, cancelled)).rejects.toMatchObject({
      code: "not_found",
    });

    const submitted = (await createCampaign(db(), team.privacy.actor, draft())).id;
    await submitCampaign(db(), team.privacy.actor, submitted);
    expect((await getCampaign(db(), team.privacy.actor, submitted)).can.delete).toBe(false);
    await expect(deleteCampaign(db(), team.privacy.actor, submitted)).rejects.toThrow(
      "deleting needs it a draft or cancelled",
    );
    await approveCampaign(db(), team.privacy2.actor, submitted);
    await launchCampaign(db(), team.privacy.actor, submitted);
    await expect(deleteCampaign(db(), team.privacy.actor, submitted)).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await getCampaign(db(), team.privacy.actor, submitted)).status).toBe("launched");
  });

  test("marketers and executives may not create, submit, approve or launch; they cannot even read campaigns", async () => {
    const id = (await createCampaign(db(), team.privacy.actor, draft())).id;
    for (const m of [team.marketer, team.executive]) {
      await expect(createCampaign(db(), m.actor, draft())).rejects.toMatchObject({ code: "forbidden" });
      await expect(submitCampaign(db(), m.actor, id)).rejects.toMatchObject({ code: "forbidden" });
      await expect(approveCampaign(db(), m.actor, id)).rejects.toMatchObject({ code: "forbidden" });
      await expect(launchCampaign(db(), m.actor, id)).rejects.toMatchObject({ code: "forbidden" });
      await expect(getCampaign(db(), m.actor, id)).rejects.toMatchObject({ code: "forbidden" });
    }
  });

  test("campaigns belong to their workspace", async () => {
    const { id } = await createCampaign(db(), team.privacy.actor, draft());
    const other = await campaignTeam();
    await expect(getCampaign(other.ws.db, other.privacy.actor, id)).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

test("campaigns waiting for approval are counted for each reviewer, without the ones they submitted", async () => {
  const own = await campaignTeam();
  await send(own.ws, birthdays(5));
  const d = own.ws.db;
  const first = await createCampaign(d, own.privacy.actor, draft());
  const second = await createCampaign(d, own.privacy2.actor, draft());
  await createCampaign(d, own.privacy.actor, draft());
  expect(await awaitingApproval(d, own.privacy2.actor)).toBe(0);
  await submitCampaign(d, own.privacy.actor, first.id);
  await submitCampaign(d, own.privacy2.actor, second.id);
  expect([
    await awaitingApproval(d, own.privacy.actor),
    await awaitingApproval(d, own.privacy2.actor),
    await awaitingApproval(d, own.admin.actor),
  ]).toEqual([1, 1, 2]);
  expect([
    await awaitingApproval(d, own.marketer.actor),
    await awaitingApproval(d, own.executive.actor),
  ]).toEqual([0, 0]);
  await approveCampaign(d, own.privacy2.actor, first.id);
  expect(await awaitingApproval(d, own.admin.actor)).toBe(1);
});

import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/member";
import { notFound } from "@/lib/errors";
import { deliverInBackground, retryDelivery } from "./delivery";
import { launchCampaign } from "./launch";
import { approveCampaign, cancelCampaign, rejectCampaign, submitCampaign } from "./lifecycle";

type Step = (db: Db, actor: Actor, id: string, input: unknown) => Promise<unknown>;

/** The lifecycle steps a member can take on a campaign, by the name in `POST /api/v1/campaigns/<id>/<step>`. */
const STEPS: Record<string, Step> = {
  submit: (db, actor, id) => submitCampaign(db, actor, id),
  approve: (db, actor, id, input) => approveCampaign(db, actor, id, input),
  reject: (db, actor, id, input) => rejectCampaign(db, actor, id, input),
  cancel: (db, actor, id) => cancelCampaign(db, actor, id),
  launch: async (db, actor, id) => {
    const launched = await launchCampaign(db, actor, id);
    if (launched.batches > 0) deliverInBackground(db, actor.workspaceId, id);
    return launched;
  },
  "retry-delivery": async (db, actor, id) => {
    const retried = await retryDelivery(db, actor, id);
    if (retried.queued > 0) deliverInBackground(db, actor.workspaceId, id);
    return retried;
  },
};

export async function campaignStep(
  db: Db,
  actor: Actor,
  id: string,
  step: string,
  input: unknown,
): Promise<unknown> {
  const run = Object.hasOwn(STEPS, step) ? STEPS[step] : undefined;
  if (!run) throw notFound(`no campaign step '${step}': use ${Object.keys(STEPS).join(", ")}`);
  return (await run(db, actor, id, input)) ?? { ok: true };
}

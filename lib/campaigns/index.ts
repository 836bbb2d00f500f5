export { audienceCount, countHoldings, holdingsSql, type AudienceFilter } from "./audience";
export { deliverCampaign, deliverInBackground, retryDelivery, type DeliveryOptions } from "./delivery";
export { handoffFile, HANDOFF_FORMATS, type HandoffFormat, type HandoffJson } from "./handoff";
export { holdoutBucket, isHeldOut } from "./holdout";
export { launchCampaign, WEBHOOK_BATCH_SIZE, type LaunchResult } from "./launch";
export {
  approveCampaign,
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  rejectCampaign,
  submitCampaign,
  updateCampaign,
} from "./lifecycle";
export { DEFAULT_TEMPLATES } from "./message";
export { previewMessage } from "./preview";
export { awaitingApproval, getCampaign, listCampaigns } from "./read";
export { campaignResults } from "./results";
export { signWebhook, WEBHOOK_HEADERS } from "./webhook";
export type * from "./types";
export { campaignStep } from "./actions";
export { campaignFormOptions, type CampaignFormOptions } from "./form-options";

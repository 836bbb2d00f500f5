/** What each audit action means, as the audit screen shows it; the code stays in the CSV and the API. */
export const ACTION_LABELS: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in refused",
  "auth.sign_out": "Signed out",
  "user.invite": "Invited a user",
  "user.invitation_accept": "Accepted an invitation",
  "user.invitation_decline": "Declined an invitation",
  "user.invitation_withdraw": "Withdrew an invitation",
  "user.role_change": "Changed a user's role",
  "user.remove": "Removed a user",
  "user.password_change": "Changed their password",
  "user.password_change_failed": "Password change refused",
  "user.password_reset": "Reset a user's password",
  "user.password_set": "Set a password",
  "key.create": "Created an API key",
  "key.revoke": "Revoked an API key",
  "settings.purpose_save": "Saved a purpose",
  "settings.field_save": "Saved a data field",
  "settings.signal_mapping_save": "Saved the consent-signal mapping",
  "settings.webhook_save": "Saved the webhook",
  "settings.weights_save": "Saved the Trust Index weights",
  "campaign.create": "Created a campaign",
  "campaign.update": "Edited a campaign",
  "campaign.submit": "Sent a campaign for approval",
  "campaign.approve": "Approved a campaign",
  "campaign.reject": "Sent a campaign back",
  "campaign.launch": "Launched a campaign",
  "campaign.cancel": "Cancelled a campaign",
  "campaign.delete": "Deleted a draft or cancelled campaign",
  "campaign.complete": "Completed a campaign",
  "campaign.handoff_download": "Downloaded a campaign's hand-off file",
  "campaign.webhook_delivery": "Delivered a campaign to the webhook",
  "campaign.webhook_retry": "Retried a campaign's webhook delivery",
  "subject.consent_record_read": "Read a customer's consent record",
  "suppression.read": "Read a suppression list",
  "snapshot.saved": "Saved an Overview snapshot",
};

/** A dotted code in words: `consent.granted` → "Consent granted", `user.role_change` → "User role change". */
export function codeInWords(code: string): string {
  const words = code.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An action's label; an action without one (from a later version) is shown as its code, in words. */
export const actionLabel = (action: string): string => ACTION_LABELS[action] ?? codeInWords(action);

import type { CampaignStatus } from "@/lib/campaigns/types";

const LOOK: Record<CampaignStatus, [label: string, badge: string]> = {
  draft: ["Draft", "badge-low"],
  pending_approval: ["Waiting for approval", "badge-high"],
  approved: ["Approved", "badge-medium"],
  launched: ["Launched", "badge-medium"],
  completed: ["Completed", "badge-low"],
  cancelled: ["Cancelled", "badge-special"],
};

export const statusLabel = (status: CampaignStatus) => LOOK[status][0];

export function StatusBadge({ status }: { status: CampaignStatus }) {
  const [label, badge] = LOOK[status];
  return (
    <span className={`badge ${badge}`} data-status={status}>
      {label}
    </span>
  );
}

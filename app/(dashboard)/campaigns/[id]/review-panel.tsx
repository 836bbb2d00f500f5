"use client";

import { useState } from "react";
import { Card } from "@/app/_components/card";
import { formatCount, formatDateTime, formatRate } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { CampaignDetail } from "@/lib/campaigns/types";
import { useAudienceQuery, useCampaignStep } from "../campaign-api";
import styles from "../campaigns.module.css";
import { statusLabel } from "../status-badge";

/** Four eyes: someone other than the submitter approves or sends the campaign back, with a comment. */
export function ReviewPanel({ c }: { c: CampaignDetail }) {
  const f = useFormats();
  const [comment, setComment] = useState("");
  const step = useCampaignStep(c.id);
  const waiting = `Submitted by ${c.submitted_by} on ${formatDateTime(f, c.submitted_at)}.`;
  if (!c.can.approve) {
    return (
      <p className={styles.note} role="status" data-review="blocked">
        {waiting} {c.can.approve_blocked ?? "Another privacy or admin user approves it."}
      </p>
    );
  }
  return (
    <div className={styles.reviewWrap}>
      <Card
        id="campaign-review"
        title={`Review: ${statusLabel(c.status).toLowerCase()}`}
        description={`${waiting} Check who would be contacted and the message below, then approve or send it back.`}
      >
        <AudienceBreakdown c={c} />
        <div className={styles.review}>
          <label className={styles.stacked}>
            Comment (required to send it back)
            <textarea
              className={`input ${styles.textarea}`}
              name="comment"
              value={comment}
              maxLength={2000}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
          <div className={styles.actions}>
            <button
              className="btn btn-primary"
              type="button"
              disabled={step.isPending}
              onClick={() => step.mutate({ step: "approve", body: { comment } })}
            >
              Approve
            </button>
            <button
              className="btn"
              type="button"
              disabled={step.isPending}
              onClick={() => step.mutate({ step: "reject", body: { comment } })}
            >
              Send back
            </button>
            {step.error ? (
              <span className={styles.error} role="alert">
                {step.error.message}
              </span>
            ) : null}
          </div>
        </div>
      </Card>
    </div>
  );
}

/** Who the campaign reaches: the audience when submitted against the inventory now, the holdout and the rest, and the filters. */
function AudienceBreakdown({ c }: { c: CampaignDetail }) {
  const f = useFormats();
  const live = useAudienceQuery(
    { field: c.field, purpose: c.purpose ?? "", region: c.region ?? "", channel: c.channel ?? "" },
    true,
  );
  const now = live.data;
  const base = now?.audience ?? c.audience;
  const heldOut = base === null ? null : Math.round((base * c.holdout_percent) / 100);
  const filters = [
    c.purpose ? `purpose ${c.purpose}` : null,
    c.region ? `region ${c.region}` : null,
    c.channel ? `channel ${c.channel}` : null,
  ].filter(Boolean);
  return (
    <dl className={styles.facts} data-review-breakdown>
      <dt>Field and action</dt>
      <dd>
        {c.field_name}: {c.action}
      </dd>
      <dt>Who</dt>
      <dd>
        {filters.length
          ? `Customers holding it with ${filters.join(", ")}`
          : "Every customer holding it (no filter)"}
      </dd>
      <dt>Audience when submitted</dt>
      <dd data-review-saved>
        {c.audience === null ? "—" : `≈ ${formatCount(f, c.audience)} dormant holdings`}
      </dd>
      <dt>In the inventory now</dt>
      <dd data-review-now>
        {live.isPending
          ? "Counting…"
          : now
            ? `${formatCount(f, now.audience)} dormant of ${formatCount(f, now.holdings)} holdings (${formatRate(f, now.holdings ? now.audience / now.holdings : null)}) — launching now freezes these`
            : live.error
              ? live.error.message
              : "—"}
      </dd>
      <dt>Held out ({c.holdout_percent}%)</dt>
      <dd>{heldOut === null ? "—" : `≈ ${formatCount(f, heldOut)} not contacted, to measure the effect`}</dd>
      <dt>Contacted</dt>
      <dd data-review-contacted>
        {base === null || heldOut === null ? "—" : `≈ ${formatCount(f, base - heldOut)}`}
      </dd>
    </dl>
  );
}

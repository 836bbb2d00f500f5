"use client";

import { useState } from "react";
import { Card } from "@/app/_components/card";
import { formatDateTime } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { CampaignDetail } from "@/lib/campaigns/types";
import { useCampaignStep } from "../campaign-api";
import styles from "../campaigns.module.css";

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
    <Card id="campaign-review" title="Review" description={`${waiting} Check the audience and the message, then approve or send it back.`}>
      <div className={styles.review}>
        <label className="muted">
          Comment (required to reject)
          <textarea className={`input ${styles.textarea}`} name="comment" value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
        </label>
        <div className={styles.actions}>
          <button className="btn btn-primary" type="button" disabled={step.isPending} onClick={() => step.mutate({ step: "approve", body: { comment } })}>
            Approve
          </button>
          <button className="btn" type="button" disabled={step.isPending} onClick={() => step.mutate({ step: "reject", body: { comment } })}>
            Reject
          </button>
          {step.error ? (
            <span className={styles.error} role="alert">
              {step.error.message}
            </span>
          ) : null}
        </div>
      </div>
    </Card>
  );
}

import { formatDateTime } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { CampaignDetail, CampaignStatus } from "@/lib/campaigns/types";
import styles from "../campaigns.module.css";

const ORDER: CampaignStatus[] = ["draft", "pending_approval", "approved", "launched", "completed"];

/** Where the campaign stands in `draft → pending approval → approved → launched → completed`, with who and when. */
export function Lifecycle({ c }: { c: CampaignDetail }) {
  const f = useFormats();
  const steps: { status: CampaignStatus; label: string; who: string | null; at: string | null }[] = [
    { status: "draft", label: "Draft", who: c.created_by, at: c.created_at },
    { status: "pending_approval", label: "Submitted", who: c.submitted_by, at: c.submitted_at },
    {
      status: "approved",
      label: "Approved",
      who: c.status === "draft" ? null : c.reviewed_by,
      at: c.status === "draft" ? null : c.reviewed_at,
    },
    { status: "launched", label: "Launched", who: c.launched_by, at: c.launched_at },
    { status: "completed", label: "Completed", who: null, at: c.completed_at },
  ];
  const current = ORDER.indexOf(c.status);
  return (
    <ol className={styles.steps} aria-label="Lifecycle">
      {steps.map((s, i) => {
        const state =
          c.status === "cancelled"
            ? s.at
              ? "done"
              : "todo"
            : i < current
              ? "done"
              : i === current
                ? "current"
                : "todo";
        return (
          <li
            key={s.status}
            className={styles.step}
            data-state={state}
            aria-current={state === "current" ? "step" : undefined}
          >
            {s.label}
            {s.at && state !== "todo" ? ` · ${formatDateTime(f, s.at)}` : ""}
            {s.who && state !== "todo" ? ` · ${s.who}` : ""}
          </li>
        );
      })}
      {c.status === "cancelled" ? (
        <li className={styles.step} data-state="current" aria-current="step">
          Cancelled · {formatDateTime(f, c.cancelled_at)} · {c.cancelled_by}
        </li>
      ) : null}
    </ol>
  );
}

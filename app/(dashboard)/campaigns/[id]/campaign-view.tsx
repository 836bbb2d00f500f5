"use client";

import Link from "next/link";
import { useState } from "react";
import { Card } from "@/app/_components/card";
import { formatCount, formatDateTime } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import { QueryView } from "@/app/_components/states";
import type { CampaignDetail, CampaignFormOptions } from "@/lib/campaigns";
import { useRouter } from "next/navigation";
import { useCampaignQuery, useCampaignStep, useDeleteCampaign } from "../campaign-api";
import { CampaignForm, draftOf } from "../campaign-form";
import styles from "../campaigns.module.css";
import { StatusBadge } from "../status-badge";
import { HandoffCard } from "./handoff-card";
import { Lifecycle } from "./lifecycle";
import { ResultsCard } from "./results-card";
import { ReviewPanel } from "./review-panel";

export function CampaignView({ id, options }: { id: string; options: CampaignFormOptions | null }) {
  const query = useCampaignQuery(id);
  return <QueryView query={query}>{(c) => <Campaign c={c} options={options} />}</QueryView>;
}

function Campaign({ c, options }: { c: CampaignDetail; options: CampaignFormOptions | null }) {
  const f = useFormats();
  const [editing, setEditing] = useState(false);
  const step = useCampaignStep(c.id);
  const router = useRouter();
  const remove = useDeleteCampaign(c.id);
  const confirmThen = (question: string, name: string) => () => {
    if (window.confirm(question)) step.mutate({ step: name });
  };
  const launched = c.launched_at !== null;
  return (
    <>
      <div className="page-head">
        <div>
          <p>
            <Link href="/campaigns">Give-back campaigns</Link>
          </p>
          <h1>
            {c.name} <StatusBadge status={c.status} />
          </h1>
          <p>
            {c.field_name} · {c.action} · {c.holdout_percent}% holdout
            {c.purpose ? ` · purpose ${c.purpose}` : ""}
            {c.region ? ` · ${c.region}` : ""}
            {c.channel ? ` · ${c.channel}` : ""}
          </p>
        </div>
        <div className={styles.toolbar}>
          {c.can.edit && options && !editing ? (
            <button className="btn" type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          {c.can.submit ? (
            <button
              className="btn btn-primary"
              type="button"
              disabled={step.isPending}
              onClick={() => step.mutate({ step: "submit" })}
            >
              Submit for approval
            </button>
          ) : null}
          {c.can.launch ? (
            <button
              className="btn btn-primary"
              type="button"
              disabled={step.isPending}
              onClick={confirmThen(
                `Launch “${c.name}”? The audience is frozen now and the hand-off is sent; this cannot be undone.`,
                "launch",
              )}
            >
              Launch
            </button>
          ) : null}
          {c.can.handoff ? (
            <a
              className="btn"
              href={`/api/v1/campaigns/${encodeURIComponent(c.id)}/handoff`}
              download
              data-handoff
            >
              Download hand-off CSV
            </a>
          ) : null}
          {c.can.handoff ? (
            <a
              className="btn"
              href={`/api/v1/campaigns/${encodeURIComponent(c.id)}/handoff?format=json`}
              download
              data-handoff-json
              title="The subjects exactly as sent, for systems that match byte for byte"
            >
              Hand-off JSON
            </a>
          ) : null}
          {c.can.cancel ? (
            <button
              className="btn"
              type="button"
              disabled={step.isPending}
              onClick={confirmThen(`Cancel “${c.name}”? It cannot be launched afterwards.`, "cancel")}
            >
              Cancel campaign
            </button>
          ) : null}
          {c.can.delete ? (
            <button
              className="btn"
              type="button"
              data-delete-campaign
              disabled={remove.isPending}
              onClick={() => {
                if (
                  window.confirm(`Delete “${c.name}”? It leaves the list; the audit log keeps its history.`)
                )
                  remove.mutate(undefined, { onSuccess: () => router.push("/campaigns") });
              }}
            >
              Delete
            </button>
          ) : null}
        </div>
      </div>
      {step.error || remove.error ? (
        <p className={`${styles.note} ${styles.error}`} role="alert">
          {(step.error ?? remove.error)?.message}
        </p>
      ) : null}
      <Lifecycle c={c} />
      {c.status === "draft" && c.review_comment ? (
        <p className={styles.note} role="status">
          Sent back by {c.reviewed_by} on {formatDateTime(f, c.reviewed_at)}: “{c.review_comment}”
        </p>
      ) : null}
      {c.status === "pending_approval" ? <ReviewPanel c={c} /> : null}
      {editing && options ? (
        <CampaignForm
          options={options}
          id={c.id}
          initial={draftOf(c, options.templates)}
          onDone={() => setEditing(false)}
        />
      ) : null}
      <div className="grid">
        <Card
          id="campaign-message"
          title="Message"
          description="What each contacted customer reads, in the hand-off's message column."
        >
          <blockquote className={styles.message}>{c.message_text}</blockquote>
        </Card>
        <Card
          id="campaign-progress"
          title={launched ? "Audience and confirmations" : "Audience"}
          description={
            launched
              ? `Frozen at launch on ${formatDateTime(f, c.launched_at)}.`
              : "Dormant holdings when the draft was last saved; launch freezes the audience of that moment."
          }
        >
          <div className={styles.tiles}>
            <Tile
              label={launched ? "Audience" : "Audience (≈)"}
              value={formatCount(f, c.audience)}
              id="audience"
            />
            {launched ? (
              <>
                <Tile label="Contacted" value={formatCount(f, c.contacted)} id="contacted" />
                <Tile label="Holdout" value={formatCount(f, c.holdout)} id="holdout" />
                <Tile label="Confirmed" value={formatCount(f, c.confirmed)} id="confirmed" />
                <Tile label="Pending" value={formatCount(f, c.pending)} id="pending" />
                {c.delivery.webhook ? (
                  <Tile
                    label="Failed deliveries"
                    value={formatCount(f, c.delivery.recipients_failed)}
                    id="failed"
                  />
                ) : null}
              </>
            ) : null}
          </div>
          {launched && c.confirmed > 0 ? (
            <p className="muted">
              Outcomes: {formatCount(f, c.outcomes.deleted)} deleted, {formatCount(f, c.outcomes.released)}{" "}
              released, {formatCount(f, c.outcomes.kept)} kept.
            </p>
          ) : null}
        </Card>
        {launched ? <HandoffCard c={c} /> : null}
        {launched ? <ResultsCard id={c.id} /> : null}
      </div>
    </>
  );
}

function Tile({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div className={styles.tile} data-tile={id}>
      <span>{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

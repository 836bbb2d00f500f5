"use client";

import { Card } from "@/app/_components/card";
import { CsvButton, DataTable, type TableData } from "@/app/_components/data-table";
import { formatCount, formatDateTime } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { CampaignDetail, DeliveryAttempt } from "@/lib/campaigns/types";
import { useCampaignStep } from "../campaign-api";
import styles from "../campaigns.module.css";

/** The hand-off to the systems that hold the data: the CSV, and the webhook's batches with every attempt. */
export function HandoffCard({ c }: { c: CampaignDetail }) {
  const f = useFormats();
  const retry = useCampaignStep(c.id);
  const d = c.delivery;
  const table: TableData<DeliveryAttempt> = {
    filename: `${c.id}-delivery-log`,
    rows: c.delivery_log,
    columns: [
      { key: "at", label: "Time", value: (r) => r.at, format: (r) => formatDateTime(f, r.at) },
      { key: "batch", label: "Batch", numeric: true, value: (r) => r.batch },
      { key: "delivery_id", label: "Delivery id", value: (r) => r.delivery_id },
      { key: "attempt", label: "Attempt", numeric: true, value: (r) => r.attempt },
      {
        key: "status_code",
        label: "Status",
        numeric: true,
        value: (r) => r.status_code,
        format: (r) => r.status_code ?? "—",
      },
      {
        key: "response_bytes",
        label: "Answer bytes",
        numeric: true,
        value: (r) => r.response_bytes,
        format: (r) => r.response_bytes ?? "—",
      },
      { key: "error", label: "Error", value: (r) => r.error, format: (r) => r.error ?? "" },
      { key: "duration_ms", label: "ms", numeric: true, value: (r) => r.duration_ms },
    ],
  };
  return (
    <Card
      id="campaign-handoff"
      title="Hand-off"
      description="One row per contacted recipient: subject, field, action, message. The holdout is left out."
      actions={c.delivery_log.length ? <CsvButton table={table} label="Export log" /> : null}
      wide
    >
      {d.webhook ? (
        <div
          className={styles.toolbar}
          data-delivery={d.pending > 0 ? "pending" : d.failed > 0 ? "failed" : "delivered"}
        >
          <span>
            Webhook: {formatCount(f, d.delivered)} of {formatCount(f, d.batches)} batches delivered
            {d.pending ? `, ${formatCount(f, d.pending)} on their way` : ""}
            {d.failed
              ? `, ${formatCount(f, d.failed)} failed (${formatCount(f, d.recipients_failed)} recipients)`
              : ""}
            .
          </span>
          {c.can.retry_delivery ? (
            <button
              className="btn btn-small"
              type="button"
              disabled={retry.isPending}
              onClick={() => retry.mutate({ step: "retry-delivery" })}
            >
              Retry failed batches
            </button>
          ) : null}
          {retry.error ? <span className={styles.error}>{retry.error.message}</span> : null}
        </div>
      ) : (
        <p className="muted">
          No webhook is configured for this workspace: the CSV is the hand-off. An admin can add a signed
          webhook in Settings.
        </p>
      )}
      {c.delivery_log.length ? (
        <DataTable
          table={table}
          rowKey={(r) => `${r.batch}-${r.attempt}`}
          testId="delivery-log"
          caption="Delivery log, newest first"
        />
      ) : null}
    </Card>
  );
}

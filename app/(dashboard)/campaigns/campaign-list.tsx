"use client";

import Link from "next/link";
import { Card } from "@/app/_components/card";
import { CsvButton, DataTable, type TableData } from "@/app/_components/data-table";
import { formatCount, formatDay } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import { EmptyState, QueryView } from "@/app/_components/states";
import type { CampaignSummary } from "@/lib/campaigns/types";
import { useCampaignsQuery } from "./campaign-api";
import { StatusBadge } from "./status-badge";

export function CampaignList({ canCreate, waiting }: { canCreate: boolean; waiting: number }) {
  const f = useFormats();
  const query = useCampaignsQuery();
  const table = (rows: CampaignSummary[]): TableData<CampaignSummary> => ({
    filename: "give-back-campaigns",
    rows,
    columns: [
      {
        key: "name",
        label: "Campaign",
        value: (c) => c.name,
        format: (c) => <Link href={`/campaigns/${c.id}`}>{c.name}</Link>,
      },
      {
        key: "status",
        label: "Status",
        value: (c) => c.status,
        format: (c) => <StatusBadge status={c.status} />,
      },
      { key: "field", label: "Field", value: (c) => c.field, format: (c) => c.field_name },
      { key: "action", label: "Action", value: (c) => c.action },
      {
        key: "audience",
        label: "Audience",
        numeric: true,
        value: (c) => c.audience,
        format: (c) =>
          c.launched_at
            ? formatCount(f, c.audience)
            : c.audience === null
              ? "—"
              : `≈ ${formatCount(f, c.audience)}`,
      },
      {
        key: "confirmed",
        label: "Confirmed",
        numeric: true,
        value: (c) => (c.launched_at ? c.confirmed : null),
        format: (c) => (c.launched_at ? formatCount(f, c.confirmed) : "—"),
      },
      {
        key: "pending",
        label: "Pending",
        numeric: true,
        value: (c) => (c.launched_at ? c.pending : null),
        format: (c) => (c.launched_at ? formatCount(f, c.pending) : "—"),
      },
      {
        key: "launched_at",
        label: "Launched",
        value: (c) => c.launched_at,
        format: (c) => formatDay(f, c.launched_at),
      },
    ],
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Give-back campaigns</h1>
          <p>
            Return or delete data we hold and never use, tell the customers in plain words, and measure what
            it did against a holdout.
          </p>
        </div>
        {canCreate ? (
          <Link className="btn btn-primary" href="/campaigns/new">
            New campaign
          </Link>
        ) : null}
      </div>
      {waiting > 0 ? (
        <p className="callout" role="status" data-awaiting-approval={waiting}>
          <strong>
            {waiting === 1 ? "One campaign waits" : `${formatCount(f, waiting)} campaigns wait`} for your
            approval.
          </strong>{" "}
          Open {waiting === 1 ? "it" : "each"} (status “Waiting for approval”) to check the audience and the
          message, then approve or send it back.
        </p>
      ) : null}
      <QueryView
        query={query}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="No campaigns yet.">
            Start from a dormant field in the <Link href="/inventory">Data inventory</Link> (its “Give back”
            action){canCreate ? <>, or create one here</> : null}.
          </EmptyState>
        }
      >
        {(rows) => (
          <Card
            id="campaigns"
            title="Campaigns"
            description="Before launch the audience is the count when the draft was last saved (≈); from launch on it is frozen."
            actions={<CsvButton table={table(rows)} />}
            wide
          >
            <DataTable table={table(rows)} rowKey={(c) => c.id} testId="campaigns" />
          </Card>
        )}
      </QueryView>
    </>
  );
}

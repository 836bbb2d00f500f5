"use client";

import { useSyncExternalStore } from "react";
import { Card } from "@/app/_components/card";
import { CategoryBarChart, type ChartRow } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { formatCount, formatDateTime } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { useFormats } from "@/app/_components/providers";
import { suppressionSummaryQuery } from "@/app/_components/queries";
import { DataView, EmptyState } from "@/app/_components/states";
import { sourceLabel } from "@/lib/metrics/sources";
import type { SuppressionCounts, SuppressionSummary } from "@/lib/suppression/summary";
import { countColumn } from "@/app/_components/columns";

const NOBODY = (
  <EmptyState title="Nobody has said no yet.">
    A purpose&rsquo;s suppression list holds the customers whose latest answer for it is{" "}
    <code>consent.denied</code> or <code>consent.withdrawn</code>.
  </EmptyState>
);

const isEmpty = (r: SuppressionSummary) => r.purposes.every((p) => p.count === 0);

export function SuppressionView() {
  const query = suppressionSummaryQuery({});
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Suppression</h1>
          <p>
            Who a marketing tool must not contact, per purpose: the customers who said no or took their yes
            back, and where they said it. Lists are as of now.
          </p>
        </div>
      </div>
      <div className="grid">
        <Card
          id="suppression-lists"
          wide
          title="Suppression lists"
          definition="suppression-list"
          description="Per purpose: customers on the list, by how they got there. Download a list as CSV for a tool that imports files."
        >
          <DataView query={query} isEmpty={isEmpty} empty={NOBODY}>
            {(r) => <Lists summary={r} />}
          </DataView>
        </Card>
        <Card
          id="suppression-by-source"
          wide
          title="Why: by source"
          definition="opt-outs-by-source"
          description="Customers on each list by the source of the answer that put them there."
        >
          <DataView query={query} isEmpty={isEmpty} empty={NOBODY}>
            {(r) => <BySource summary={r} />}
          </DataView>
        </Card>
        <Card
          id="suppression-sync"
          wide
          title="How a marketing tool syncs a list"
          definition="suppression-list"
        >
          <Sync />
        </Card>
      </div>
    </>
  );
}

function Lists({ summary }: { summary: SuppressionSummary }) {
  const f = useFormats();
  const names = useNames();
  const table: TableData<SuppressionCounts> = {
    filename: `suppression-counts_${summary.at.slice(0, 10)}`,
    rows: summary.purposes,
    columns: [
      { key: "purpose", label: "Purpose", value: (p) => p.purpose, format: (p) => names.purpose(p.purpose) },
      countColumn(f, "count", "On the list"),
      countColumn(f, "denied", "Said no"),
      countColumn(f, "withdrawn", "Took back a yes"),
    ],
  };
  return (
    <>
      <p className="muted">
        As of {formatDateTime(f, summary.at)}. Each download is written to the audit log.
      </p>
      <div
        className="card-actions"
        style={{ flexWrap: "wrap", justifyContent: "flex-start", marginBottom: 8 }}
      >
        {summary.purposes
          .filter((p) => p.count > 0)
          .map((p) => (
            <a
              key={p.purpose}
              className="btn btn-small"
              href={`/api/v1/suppression?${new URLSearchParams({ purpose: p.purpose, format: "csv" })}`}
              download={`suppression_${p.purpose}.csv`}
              data-download={p.purpose}
            >
              {names.purpose(p.purpose)} (CSV)
            </a>
          ))}
      </div>
      <CategoryBarChart
        data={summary.purposes.map((p) => ({
          purpose: names.purpose(p.purpose),
          denied: p.denied,
          withdrawn: p.withdrawn,
        }))}
        category="purpose"
        series={[
          { key: "denied", label: "Said no", color: "var(--c8)" },
          { key: "withdrawn", label: "Took back a yes", color: "var(--c4)" },
        ]}
        kind="count"
        stacked
        height={280}
        label="Customers on each purpose's suppression list"
      />
      <ChartFooter table={table} rowKey={(p) => p.purpose} />
    </>
  );
}

function BySource({ summary }: { summary: SuppressionSummary }) {
  const f = useFormats();
  const names = useNames();
  const sources = [...new Set(summary.purposes.flatMap((p) => Object.keys(p.by_source)))].sort();
  const data: ChartRow[] = summary.purposes
    .filter((p) => p.count > 0)
    .map((p) => ({ purpose: names.purpose(p.purpose), ...p.by_source }));
  const rows = summary.purposes.flatMap((p) =>
    Object.entries(p.by_source).map(([source, n]) => ({ purpose: p.purpose, source, n })),
  );
  const table: TableData<(typeof rows)[number]> = {
    filename: `suppression-by-source_${summary.at.slice(0, 10)}`,
    rows,
    columns: [
      { key: "purpose", label: "Purpose", value: (r) => r.purpose, format: (r) => names.purpose(r.purpose) },
      { key: "source", label: "Source", value: (r) => r.source, format: (r) => sourceLabel(r.source) },
      { key: "n", label: "Customers", numeric: true, value: (r) => r.n, format: (r) => formatCount(f, r.n) },
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={data}
        category="purpose"
        series={sources.map((s) => ({ key: s, label: sourceLabel(s) }))}
        kind="count"
        stacked
        height={320}
        label="Customers on each list by source"
      />
      <ChartFooter table={table} rowKey={(r) => `${r.purpose}|${r.source}`} />
    </>
  );
}

/** The origin never changes while the page is open. */
const noSubscription = () => () => {};

function Sync() {
  // The server cannot know the address the reader uses: it renders an example, and the browser its own origin after
  // hydration (reading `window` during the render made the two differ: React error #418).
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "https://trustledger.example",
  );
  return (
    <div data-sync-help>
      <p style={{ marginTop: 0 }}>
        Download a list as CSV above and load it into the tool as a suppression (do-not-contact) list, or let
        the tool keep it current by itself: an admin gives it a key that reads these lists and nothing else,
        and the tool fetches only what changed every few minutes. The steps for whoever sets that up:
      </p>
      <details>
        <summary>Steps for your developers</summary>
        <ol style={{ paddingLeft: 18, margin: "8px 0 0", lineHeight: 1.6 }}>
          <li>
            An admin creates an API key with the <code>suppression</code> scope (Settings → API keys). It
            reads lists of customers and nothing else.
          </li>
          <li>
            The tool downloads the whole list once and keeps the <code>next_cursor</code> of the answer (also
            in the <code>X-Next-Cursor</code> header):
            <pre>{`curl -H "Authorization: Bearer $KEY" "${origin}/api/v1/suppression?purpose=personalised-offers&format=ndjson"`}</pre>
          </li>
          <li>
            Every few minutes it asks only for what changed since, and keeps the new cursor:
            <pre>{`curl -H "Authorization: Bearer $KEY" "${origin}/api/v1/suppression?purpose=personalised-offers&changed_since=$CURSOR"`}</pre>
            A customer who joined the list comes back with state <code>denied</code> or <code>withdrawn</code>
            ; one who left it (said yes again) with <code>granted</code>: stop suppressing them.
          </li>
          <li>
            From the command line:{" "}
            <code>
              npm run tl -- suppression --workspace &lt;slug&gt; --purpose personalised-offers --format csv
            </code>
            .
          </li>
        </ol>
      </details>
    </div>
  );
}

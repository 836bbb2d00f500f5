"use client";

import { Card } from "@/app/_components/card";
import { CategoryBarChart, TrendChart } from "@/app/_components/charts";
import { ChartFooter, type TableData } from "@/app/_components/data-table";
import { FilterBar } from "@/app/_components/filters";
import { formatCount, formatDecimal, formatRate } from "@/app/_components/format";
import { KpiTile } from "@/app/_components/kpi-tile";
import { useFormats } from "@/app/_components/providers";
import { dsarQuery } from "@/app/_components/queries";
import { DataView, EmptyState } from "@/app/_components/states";
import { useView } from "@/app/_components/use-view";
import { requestsParams } from "./requests-params";
import { REQUEST_LABELS } from "@/lib/metrics/sources";
import { DSAR_REQUESTS, type DsarCounts, type DsarResponse } from "@/lib/metrics/types";
import { countColumn } from "@/app/_components/columns";

const NO_REQUESTS = (
  <EmptyState title="No data subject requests in this period.">
    Send <code>dsar.requested</code> when a customer asks to see, delete or take their data (
    <code>request</code>: <code>access</code>, <code>deletion</code> or <code>portability</code>), and{" "}
    <code>dsar.completed</code> when it is done.
  </EmptyState>
);

const isEmpty = (r: DsarResponse) => {
  const t = r.requests.total;
  return t.opened + t.completed + t.unmatched + t.open_at_end === 0;
};

export function RequestsView() {
  const { view } = useView();
  const query = dsarQuery(requestsParams(view));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Requests</h1>
          <p>
            Are we accountable? Data subject requests opened and answered, how long they took, and how many
            were answered by their due date.
          </p>
        </div>
      </div>
      <FilterBar controls={["granularity", "region", "channel"]} />
      <DataView query={query} height={110} isEmpty={isEmpty} empty={NO_REQUESTS}>
        {(r) => <Kpis total={r.requests.total} />}
      </DataView>
      <div className="grid">
        <Card
          id="requests-over-time"
          wide
          title="Opened and completed"
          definition="dsar"
          description={`Per ${view.granularity}: requests opened, and requests completed (wherever they were opened).`}
        >
          <DataView query={query} height={280} isEmpty={isEmpty} empty={NO_REQUESTS}>
            {(r) => <OverTime response={r} />}
          </DataView>
        </Card>
        <Card
          id="requests-on-time"
          title="Answered on time"
          definition="dsar-on-time"
          description={`Of the requests due in each ${view.granularity}, the share completed by their due date.`}
        >
          <DataView query={query} isEmpty={isEmpty} empty={NO_REQUESTS}>
            {(r) => <OnTime response={r} />}
          </DataView>
        </Card>
        <Card id="requests-by-type" title="By type" definition="dsar">
          <DataView query={query} isEmpty={isEmpty} empty={NO_REQUESTS}>
            {(r) => <ByType response={r} />}
          </DataView>
        </Card>
      </div>
    </>
  );
}

function Kpis({ total }: { total: DsarCounts }) {
  const f = useFormats();
  return (
    <div className="kpis" data-requests-kpis>
      <KpiTile id="dsar" label="Opened" value={formatCount(f, total.opened)}>
        <span className="muted">
          {total.unmatched === 0
            ? "Every completion matched a request"
            : `${formatCount(f, total.unmatched)} ${total.unmatched === 1 ? "completion" : "completions"} matched no earlier request (check the request ids sent)`}
        </span>
      </KpiTile>
      <KpiTile id="dsar" label="Completed" value={formatCount(f, total.completed)}>
        <span className="muted">
          median {total.median_days === null ? "—" : `${formatDecimal(f, total.median_days, 1)} days`}
        </span>
      </KpiTile>
      <KpiTile id="dsar-on-time" label="On time" value={formatRate(f, total.on_time_rate)}>
        <span className="muted">
          {formatCount(f, total.on_time)} of {formatCount(f, total.due)} due
        </span>
      </KpiTile>
      <KpiTile id="dsar-open" label="Open at end" value={formatCount(f, total.open_at_end)}>
        <span className={total.overdue_at_end > 0 ? "kpi-delta bad" : "muted"}>
          {formatCount(f, total.overdue_at_end)} overdue
        </span>
      </KpiTile>
    </div>
  );
}

function OverTime({ response }: { response: DsarResponse }) {
  const t = response.requests.total;
  const table: TableData<DsarCounts & { period: string }> = {
    filename: `requests_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}_${response.granularity}`,
    rows: t.series,
    columns: [
      { key: "period", label: "Period", value: (s) => s.period },
      { key: "opened", label: "Opened", numeric: true, value: (s) => s.opened },
      { key: "completed", label: "Completed", numeric: true, value: (s) => s.completed },
      { key: "median_days", label: "Median days", numeric: true, value: (s) => s.median_days },
      { key: "due", label: "Due", numeric: true, value: (s) => s.due },
      { key: "on_time", label: "On time", numeric: true, value: (s) => s.on_time },
      { key: "open_at_end", label: "Open at end", numeric: true, value: (s) => s.open_at_end },
      { key: "overdue_at_end", label: "Overdue at end", numeric: true, value: (s) => s.overdue_at_end },
    ],
  };
  return (
    <>
      <TrendChart
        data={t.series.map((s) => ({
          period: s.period,
          opened: s.opened,
          completed: s.completed,
          overdue: s.overdue_at_end,
        }))}
        series={[
          { key: "opened", label: "Opened", color: "var(--c1)" },
          { key: "completed", label: "Completed", color: "var(--c7)" },
          { key: "overdue", label: "Overdue at end", color: "var(--c4)" },
        ]}
        kind="count"
        granularity={response.granularity}
        label="Requests opened, completed and overdue over time"
      />
      <ChartFooter table={table} rowKey={(s) => s.period} />
    </>
  );
}

function OnTime({ response }: { response: DsarResponse }) {
  return (
    <TrendChart
      data={response.requests.total.series.map((s) => ({ period: s.period, on_time_rate: s.on_time_rate }))}
      series={[{ key: "on_time_rate", label: "On time", color: "var(--c7)" }]}
      kind="rate"
      granularity={response.granularity}
      label="Share of due requests answered on time"
    />
  );
}

function ByType({ response }: { response: DsarResponse }) {
  const f = useFormats();
  const rows = DSAR_REQUESTS.map((type) => ({ type, ...response.requests[type] }));
  const table: TableData<(typeof rows)[number]> = {
    filename: `requests-by-type_${response.from.slice(0, 10)}_${response.to.slice(0, 10)}`,
    rows,
    columns: [
      { key: "type", label: "Request", value: (r) => r.type, format: (r) => REQUEST_LABELS[r.type] },
      countColumn(f, "opened", "Opened"),
      countColumn(f, "completed", "Completed"),
      {
        key: "median_days",
        label: "Median days",
        numeric: true,
        value: (r) => r.median_days,
        format: (r) => (r.median_days === null ? "—" : formatDecimal(f, r.median_days, 1)),
      },
      {
        key: "on_time_rate",
        label: "On time",
        numeric: true,
        value: (r) => r.on_time_rate,
        format: (r) => formatRate(f, r.on_time_rate),
      },
      countColumn(f, "open_at_end", "Open"),
      countColumn(f, "overdue_at_end", "Overdue"),
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={rows.map((r) => ({
          type: REQUEST_LABELS[r.type] ?? r.type,
          opened: r.opened,
          completed: r.completed,
          overdue: r.overdue_at_end,
        }))}
        category="type"
        series={[
          { key: "opened", label: "Opened", color: "var(--c1)" },
          { key: "completed", label: "Completed", color: "var(--c7)" },
          { key: "overdue", label: "Overdue at end", color: "var(--c4)" },
        ]}
        kind="count"
        height={240}
        label="Requests by type"
      />
      <ChartFooter table={table} rowKey={(r) => r.type} />
    </>
  );
}

"use client";

import Link from "next/link";
import { Card } from "@/app/_components/card";
import { CategoryBarChart } from "@/app/_components/charts";
import { ChartFooter, CsvButton, DataTable, type TableData } from "@/app/_components/data-table";
import { FilterBar } from "@/app/_components/filters";
import { formatCount, formatDay, formatRate } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import { inventoryQuery } from "@/app/_components/queries";
import { periodWithFilters } from "@/app/_components/query-keys";
import { EmptyState, DataView } from "@/app/_components/states";
import { useView } from "@/app/_components/use-view";
import { addDays } from "@/app/_components/view";
import type { DataInventory, InventoryField } from "@/lib/inventory";
import { FirstUse } from "./first-use";
import { GapList, Matrix } from "./matrix";
import { countColumn } from "@/app/_components/columns";

const NO_DATA = (
  <EmptyState title="No data held yet.">
    Send <code>data.collected</code> events (customer and <code>field</code>) when you collect or refresh a
    field, <code>data.used</code> when you use it for a purpose, and <code>data.deleted</code> when you delete
    it. Declare fields and their dormancy window in Settings.
  </EmptyState>
);

export function InventoryView({ canGiveBack }: { canGiveBack: boolean }) {
  const { view } = useView();
  const f = useFormats();
  const params = periodWithFilters(view);
  const query = inventoryQuery(params);
  const end = formatDay(f, addDays(view.to, -1));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Data inventory</h1>
          <p>
            What we hold, what we use it for, and what sits unused — the candidates to give back. Holdings are
            counted at the end of the period ({end}); a region or channel narrows the holdings and first use
            to those customers, while the uses by purpose stay everyone&rsquo;s (a bulk use belongs to no
            customer).
          </p>
        </div>
      </div>
      <FilterBar controls={["region", "channel"]} />
      <div className="grid">
        <Card
          id="fields-by-risk"
          wide
          title="Fields by risk"
          definition="inventory-risk"
          description="Sorted by dormant holdings × sensitivity. A dormant holding has not been used within the field's dormancy window."
        >
          <DataView
            query={query}
            first
            isEmpty={(r) => r.fields.every((x) => x.holdings === 0)}
            empty={NO_DATA}
          >
            {(r) => <RiskTable inventory={r} canGiveBack={canGiveBack} />}
          </DataView>
        </Card>
        <Card id="holdings-chart" title="Holdings: dormant and in use" definition="dormant-share">
          <DataView query={query} isEmpty={(r) => r.fields.every((x) => x.holdings === 0)} empty={NO_DATA}>
            {(r) => <HoldingsChart inventory={r} />}
          </DataView>
        </Card>
        <Card
          id="transparency-gaps"
          title="Transparency gaps"
          definition="inventory-risk"
          description="What customers were not told, and promises not kept."
        >
          <DataView query={query}>{(r) => <GapList inventory={r} />}</DataView>
        </Card>
        <Card
          id="fields-x-purposes"
          wide
          title="Fields × purposes"
          definition="inventory-risk"
          description="What each field is declared for and what it is actually used for, with uses in the period and the last use (every customer's uses, whatever the region or channel)."
        >
          <DataView query={query} isEmpty={(r) => r.fields.length === 0} empty={NO_DATA}>
            {(r) => <Matrix inventory={r} />}
          </DataView>
        </Card>
        <FirstUse params={params} />
      </div>
    </>
  );
}

function RiskTable({ inventory, canGiveBack }: { inventory: DataInventory; canGiveBack: boolean }) {
  const f = useFormats();
  const table: TableData<InventoryField> = {
    filename: `data-inventory_${inventory.at.slice(0, 10)}`,
    rows: inventory.fields,
    columns: [
      {
        key: "field",
        label: "Field",
        value: (x) => x.field,
        format: (x) => (
          <>
            {x.name}
            {x.name !== x.field ? <span className="muted"> · {x.field}</span> : null}
            {x.status !== "declared" ? (
              <>
                {" "}
                <span className="badge badge-gap">undeclared</span>
              </>
            ) : null}
          </>
        ),
      },
      {
        key: "sensitivity",
        label: "Sensitivity",
        value: (x) => x.sensitivity,
        format: (x) => <span className={`badge badge-${x.sensitivity}`}>{x.sensitivity}</span>,
      },
      countColumn(f, "holdings", "Holdings"),
      countColumn(f, "dormant", "Dormant"),
      {
        key: "dormant_share",
        label: "Dormant share",
        numeric: true,
        unit: "rate",
        value: (x) => x.dormant_share,
        format: (x) => (
          <>
            <span className="meter" aria-hidden="true">
              <span style={{ width: `${Math.round((x.dormant_share ?? 0) * 100)}%` }} />
            </span>
            {formatRate(f, x.dormant_share)}
          </>
        ),
      },
      countColumn(f, "dormancy_days", "Window (days)"),
      {
        key: "last_used_at",
        label: "Last used",
        value: (x) => x.last_used_at,
        format: (x) =>
          x.last_used_at ? formatDay(f, x.last_used_at) : <strong className="bad">never</strong>,
      },
      countColumn(f, "risk", "Risk"),
      {
        key: "give_back",
        label: "Action",
        value: () => null,
        format: (x) =>
          x.dormant > 0 && canGiveBack ? (
            <Link
              className="btn btn-small btn-primary"
              href={`/campaigns/new?${new URLSearchParams({
                field: x.field,
                at: inventory.at,
                ...(inventory.region ? { region: inventory.region } : {}),
                ...(inventory.channel ? { channel: inventory.channel } : {}),
              })}`}
              aria-label={`Give back ${x.name}: ${formatCount(f, x.dormant)} dormant holdings`}
            >
              Give back
            </Link>
          ) : null,
      },
    ],
  };
  const csv: TableData<InventoryField> = {
    ...table,
    columns: table.columns.filter((c) => c.key !== "give_back"),
  };
  return (
    <>
      <DataTable table={table} rowKey={(x) => x.field} />
      <div className="card-actions" style={{ marginTop: 8 }}>
        <CsvButton table={csv} />
      </div>
    </>
  );
}

function HoldingsChart({ inventory }: { inventory: DataInventory }) {
  const f = useFormats();
  const rows = inventory.fields.filter((x) => x.holdings > 0);
  const table: TableData<InventoryField> = {
    filename: `holdings_${inventory.at.slice(0, 10)}`,
    rows,
    columns: [
      { key: "field", label: "Field", value: (x) => x.field, format: (x) => x.name },
      {
        key: "in_use",
        label: "In use",
        numeric: true,
        value: (x) => x.holdings - x.dormant,
        format: (x) => formatCount(f, x.holdings - x.dormant),
      },
      countColumn(f, "dormant", "Dormant"),
    ],
  };
  return (
    <>
      <CategoryBarChart
        data={rows.map((x) => ({ field: x.name, in_use: x.holdings - x.dormant, dormant: x.dormant }))}
        category="field"
        series={[
          { key: "in_use", label: "In use", color: "var(--c1)" },
          { key: "dormant", label: "Dormant", color: "var(--warn)" },
        ]}
        kind="count"
        stacked
        horizontal
        height={Math.max(200, 44 * rows.length + 40)}
        label="Holdings per field, dormant and in use"
      />
      <ChartFooter table={table} rowKey={(x) => x.field} />
    </>
  );
}

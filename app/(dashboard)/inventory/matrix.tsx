"use client";

import { CsvButton, DataTable, type Column, type TableData } from "@/app/_components/data-table";
import { formatCount, formatDay } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { DataInventory, InventoryCell, InventoryField, InventoryGap } from "@/lib/inventory";

interface PairRow {
  field: string;
  purpose: string;
  declared: boolean;
  uses: number;
  last_used_at: string | null;
}

function Cell({ cell }: { cell: InventoryCell | undefined }) {
  const f = useFormats();
  if (!cell) return <span className="muted" aria-label="not declared, not used" />;
  if (cell.declared && cell.last_used_at === null)
    return (
      <span className="badge badge-gap" title="Declared for this purpose but never used for it">
        declared · never used
      </span>
    );
  return (
    <span>
      {cell.declared ? (
        <span aria-label="declared">✓ </span>
      ) : (
        <span className="badge badge-gap" title="Used for a purpose it is not declared for">
          used, undeclared
        </span>
      )}{" "}
      <span className="num">{formatCount(f, cell.uses)}</span> uses
      <br />
      <span className="muted" style={{ fontSize: 12 }}>
        last {formatDay(f, cell.last_used_at)}
      </span>
    </span>
  );
}

/** Fields as rows, purposes as columns: declared use, actual use, and where they differ. */
export function Matrix({ inventory }: { inventory: DataInventory }) {
  const purposes = inventory.purposes.filter((p) =>
    inventory.fields.some((x) => x.cells.some((c) => c.purpose === p.key)),
  );
  const table: TableData<InventoryField> = {
    filename: "fields-by-purpose",
    rows: inventory.fields,
    columns: [
      { key: "field", label: "Field", value: (x) => x.field, format: (x) => x.name },
      ...purposes.map((p): Column<InventoryField> => ({
        key: p.key,
        label: p.status === "declared" ? p.name : `${p.key} (undeclared)`,
        value: (x) => x.cells.find((c) => c.purpose === p.key)?.uses ?? null,
        format: (x) => <Cell cell={x.cells.find((c) => c.purpose === p.key)} />,
      })),
    ],
  };
  const pairs: TableData<PairRow> = {
    filename: `fields-by-purpose_${inventory.from.slice(0, 10)}_${inventory.to.slice(0, 10)}`,
    rows: inventory.fields.flatMap((x) => x.cells.map((c) => ({ field: x.field, ...c }))),
    columns: [
      { key: "field", label: "Field", value: (r) => r.field },
      { key: "purpose", label: "Purpose", value: (r) => r.purpose },
      { key: "declared", label: "Declared", value: (r) => r.declared },
      { key: "uses", label: "Uses in period", value: (r) => r.uses },
      { key: "last_used_at", label: "Last used", value: (r) => r.last_used_at },
    ],
  };
  return (
    <>
      <DataTable table={table} rowKey={(x) => x.field} />
      <div className="card-actions" style={{ marginTop: 8 }}>
        <CsvButton table={pairs} />
      </div>
    </>
  );
}

const GAP_TEXT: Record<InventoryGap, (field: string, purpose: string) => string> = {
  undeclared_field: (field) =>
    `${field} is collected but never declared: customers were not told what it is for.`,
  undeclared_purpose_use: (field, purpose) =>
    `${field} is used for ${purpose}, a purpose that was never declared.`,
  undeclared_use: (field, purpose) => `${field} is used for ${purpose} without being declared for it.`,
  declared_never_used: (field, purpose) =>
    `${field} is declared for ${purpose} but has never been used for it: a promise not kept.`,
};

export function GapList({ inventory }: { inventory: DataInventory }) {
  const name = (key: string) => inventory.purposes.find((p) => p.key === key)?.name ?? key;
  const gaps = inventory.fields.flatMap((x) => x.gaps.map((g) => ({ field: x, ...g })));
  const undeclaredPurposes = inventory.purposes.filter((p) => p.status !== "declared");
  if (!gaps.length && !undeclaredPurposes.length)
    return (
      <p className="muted">None: every field and purpose seen in events is declared, and used as declared.</p>
    );
  return (
    <ul style={{ paddingLeft: 18, margin: 0 }} data-gaps={gaps.length + undeclaredPurposes.length}>
      {undeclaredPurposes.map((p) => (
        <li key={`purpose-${p.key}`}>
          <span className="badge badge-gap">undeclared purpose</span> <strong>{p.key}</strong> appears in
          events without a description or value promise.
        </li>
      ))}
      {gaps.map((g) => (
        <li key={`${g.field.field}-${g.kind}-${g.purpose ?? ""}`}>
          <span className="badge badge-gap">
            {g.kind === "declared_never_used" ? "unused" : "undeclared"}
          </span>{" "}
          {GAP_TEXT[g.kind](g.field.name, name(g.purpose ?? ""))}
        </li>
      ))}
    </ul>
  );
}

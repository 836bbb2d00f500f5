"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Card } from "@/app/_components/card";
import { DataTable, type Column, type TableData } from "@/app/_components/data-table";
import { EmptyState } from "@/app/_components/states";
import { actionsColumn, FormActions, StatusBadge, TableCsv } from "../parts";
import styles from "../settings.module.css";
import { useCatalogQuery, useSaveEntry, type Catalog } from "./catalog";

interface Entry {
  key: string;
  name: string;
  status: string;
}

interface Props<R extends Entry> {
  kind: "purposes" | "fields";
  /** "purpose" or "field", for buttons and labels. */
  noun: string;
  title: string;
  description: string;
  empty: string;
  initial: Catalog;
  canWrite: boolean;
  rows: (catalog: Catalog) => R[];
  /** The columns after key, name and status. */
  columns: Column<R>[];
  /** The form's inputs after key and name, for the entry being edited (null: a new one). */
  inputs: (current: R | null, catalog: Catalog) => ReactNode;
  /** The entry to save, read from the form (key and name are added). */
  read: (form: FormData) => Record<string, unknown>;
}

/** A declared-or-not list of the workspace catalog (purposes or fields) with its edit form and CSV. */
export function CatalogSection<R extends Entry>(p: Props<R>) {
  const { data } = useCatalogQuery(p.initial);
  const [editing, setEditing] = useState<R | "new" | null>(null);
  const save = useSaveEntry(p.kind, () => setEditing(null));
  const current = editing === "new" ? null : editing;
  const rows = p.rows(data);
  const table: TableData<R> = {
    filename: p.kind,
    rows,
    columns: [
      { key: "key", label: "Key", value: (r) => r.key, format: (r) => <code>{r.key}</code> },
      { key: "name", label: "Name", value: (r) => r.name },
      {
        key: "status",
        label: "Status",
        value: (r) => r.status,
        format: (r) => <StatusBadge status={r.status} />,
      },
      ...p.columns,
      ...(p.canWrite
        ? [
            actionsColumn<R>((r) => (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setEditing(r)}
                aria-label={`Edit ${p.noun} ${r.key}`}
              >
                {r.status === "declared" ? "Edit" : "Declare"}
              </button>
            )),
          ]
        : []),
    ],
  };

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      key: String(f.get("key") ?? "").trim(),
      name: String(f.get("name") ?? "").trim(),
      ...p.read(f),
    });
  }

  return (
    <Card
      id={p.kind}
      title={p.title}
      description={p.description}
      actions={
        <>
          <TableCsv table={table} />
          {p.canWrite ? (
            <button type="button" className="btn btn-small" onClick={() => setEditing("new")}>
              Declare a {p.noun}
            </button>
          ) : null}
        </>
      }
    >
      {editing ? (
        <form
          key={current?.key ?? "new"}
          className={`${styles.form} card`}
          onSubmit={onSubmit}
          aria-label={p.noun}
        >
          <label>
            Key
            <input
              className="input"
              name="key"
              defaultValue={current?.key}
              readOnly={!!current}
              required
              pattern="[a-z0-9][a-z0-9._\-]{0,63}"
            />
          </label>
          <label>
            Name
            <input className="input" name="name" defaultValue={current?.name} required maxLength={200} />
          </label>
          {p.inputs(current, data)}
          <FormActions
            label={`Save ${p.noun}`}
            pending={save.isPending}
            error={save.error}
            onCancel={() => setEditing(null)}
          />
        </form>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={`No ${p.kind} yet`}>{p.empty}</EmptyState>
      ) : (
        <DataTable table={table} rowKey={(r) => r.key} testId={`settings-${p.kind}`} />
      )}
    </Card>
  );
}

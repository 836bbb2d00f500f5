"use client";

import type { ReactNode } from "react";
import { CsvButton, type Column, type TableData } from "@/app/_components/data-table";
import { errorText } from "./api";
import styles from "./settings.module.css";

/** Declared, or a transparency gap (SPEC section 2). */
export function StatusBadge({ status }: { status: string }) {
  return status === "declared" ? (
    <span className="badge badge-low">declared</span>
  ) : (
    <span className="badge badge-gap">undeclared</span>
  );
}

/** Submit (and optionally cancel) with the save's error or success beside them. */
export function FormActions({
  label,
  pending,
  error,
  onCancel,
  saved,
}: {
  label: string;
  pending: boolean;
  error?: unknown;
  onCancel?: () => void;
  saved?: string | null;
}) {
  return (
    <div className={styles.actions}>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {label}
      </button>
      {onCancel ? (
        <button className="btn" type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
      {error ? (
        <span className={styles.error} role="alert">
          {errorText(error)}
        </span>
      ) : null}
      {saved ? (
        <span className={styles.ok} role="status">
          {saved}
        </span>
      ) : null}
    </div>
  );
}

/** A secret shown this one time (a new API key, password or signing secret). */
export function OneTimeSecret({
  testId,
  title,
  children,
}: {
  testId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <div className={styles.secret} role="status" data-testid={testId}>
      <strong>{title}</strong>
      {children}
    </div>
  );
}

/** A column of buttons or inputs: shown in the table, left out of its CSV. */
export const ACTIONS = "actions";

export function actionsColumn<R>(render: (row: R) => ReactNode): Column<R> {
  return { key: ACTIONS, label: "", value: () => "", format: render };
}

export function TableCsv<R>({ table }: { table: TableData<R> }) {
  return <CsvButton table={{ ...table, columns: table.columns.filter((c) => c.key !== ACTIONS) }} />;
}

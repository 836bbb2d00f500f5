import type { Column, TableData } from "@/app/_components/data-table";
import { type Formats } from "@/app/_components/format";
import type { ChurnGroup } from "@/lib/insights/churn-after-withdrawal";
import type { ChurnCounts } from "@/lib/metrics/types";
import { countColumn, rateColumn } from "@/app/_components/columns";

/** The active, churned and churn-rate columns of every churn table (over time, by cohort, by group). */
export function churnColumns<R extends ChurnCounts>(f: Formats): Column<R>[] {
  return [
    countColumn<ChurnCounts>(f, "active", "Active"),
    countColumn<ChurnCounts>(f, "churned", "Churned"),
    rateColumn<ChurnCounts>(f, "churn_rate", "Churn rate"),
  ];
}

/** Groups of customers compared by churn (after withdrawal, control effect): a table row per group. */
export function groupTable<R extends ChurnGroup & { group: string; label: string }>(
  f: Formats,
  filename: string,
  rows: R[],
): TableData<R> {
  return {
    filename,
    rows,
    columns: [
      { key: "group", label: "Customers", value: (r) => r.group, format: (r) => r.label },
      ...churnColumns<R>(f),
    ],
  };
}

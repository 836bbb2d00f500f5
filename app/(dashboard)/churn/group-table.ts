import type { Column, TableData } from "@/app/_components/data-table";
import { formatCount, formatRate, type Formats } from "@/app/_components/format";
import type { ChurnGroup } from "@/lib/insights/churn-after-withdrawal";
import type { ChurnCounts } from "@/lib/metrics/types";

/** The active, churned and churn-rate columns of every churn table (over time, by cohort, by group). */
export function churnColumns<R extends ChurnCounts>(f: Formats): Column<R>[] {
  return [
    {
      key: "active",
      label: "Active",
      numeric: true,
      value: (r) => r.active,
      format: (r) => formatCount(f, r.active),
    },
    {
      key: "churned",
      label: "Churned",
      numeric: true,
      value: (r) => r.churned,
      format: (r) => formatCount(f, r.churned),
    },
    {
      key: "churn_rate",
      label: "Churn rate",
      numeric: true,
      unit: "rate",
      value: (r) => r.churn_rate,
      format: (r) => formatRate(f, r.churn_rate),
    },
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

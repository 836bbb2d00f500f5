import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { computeMetric } from "@/lib/metrics";
import type { DormantDataResponse } from "@/lib/metrics/types";
import { catalog } from "@/lib/insights/workspace-names";

/** Risk weights, one step per sensitivity level: a dormant special-category holding weighs as much as four low ones. */
export const SENSITIVITY_WEIGHTS: Record<string, number> = { low: 1, medium: 2, high: 3, special: 4 };

export interface InventoryCell {
  purpose: string;
  /** The field is declared to serve this purpose. */
  declared: boolean;
  /** `data.used` events of the field for the purpose in the period (a bulk use counts once). */
  uses: number;
  /** The latest use at or before the end of the period, or null. */
  last_used_at: string | null;
}

export type InventoryGap =
  "undeclared_field" | "undeclared_purpose_use" | "undeclared_use" | "declared_never_used";

export interface InventoryField {
  field: string;
  name: string;
  status: string;
  sensitivity: string;
  dormancy_days: number;
  holdings: number;
  dormant: number;
  dormant_share: number | null;
  last_used_at: string | null;
  /** dormant × sensitivity weight: the order of the inventory. */
  risk: number;
  cells: InventoryCell[];
  gaps: { kind: InventoryGap; purpose?: string }[];
}

export interface DataInventory {
  from: string;
  to: string;
  /** Holdings are counted at the end of the period. */
  at: string;
  purposes: { key: string; name: string; status: string }[];
  fields: InventoryField[];
}

/**
 * What is held, what is used for what, and what sits unused: fields × purposes with the holdings and dormant
 * data of the dormant-data metric at the end of the period, sorted by risk (dormant holdings × sensitivity).
 */
export async function dataInventory(
  db: Db,
  workspaceId: number,
  period: { from: string; to: string },
): Promise<DataInventory> {
  const dormant = (await computeMetric(db, workspaceId, "dormant-data", {
    at: period.to,
  })) as DormantDataResponse;
  const names = await catalog(db, workspaceId);
  const config = await rows<{ key: string; dormancy_days: number; purposes: string[] }>(
    db,
    sql`SELECT key, dormancy_days, purposes FROM fields WHERE workspace_id = ${workspaceId}`,
  );
  const uses = await rows<{
    field: string;
    purpose: string | null;
    uses: string | number;
    last_used_at: unknown;
  }>(
    db,
    sql`SELECT field, purpose, count(*) FILTER (WHERE occurred_at >= ${period.from}::timestamptz) AS uses, max(occurred_at) AS last_used_at
        FROM events
        WHERE workspace_id = ${workspaceId} AND type = 'data.used' AND field IS NOT NULL AND occurred_at <= ${period.to}::timestamptz
        GROUP BY field, purpose`,
  );
  const purposeStatus = new Map(names.purposes.map((p) => [p.key, p.status]));
  const fields = names.fields.map((f): InventoryField => {
    const held = dormant.fields.find((d) => d.field === f.key);
    const declaredFor = config.find((c) => c.key === f.key)?.purposes ?? [];
    const cells = names.purposes.flatMap((p): InventoryCell[] => {
      const used = uses.find((u) => u.field === f.key && u.purpose === p.key);
      const declared = declaredFor.includes(p.key);
      if (!declared && !used) return [];
      return [
        {
          purpose: p.key,
          declared,
          uses: Number(used?.uses ?? 0),
          last_used_at: used?.last_used_at ? new Date(String(used.last_used_at)).toISOString() : null,
        },
      ];
    });
    const gaps: InventoryField["gaps"] = [];
    if (f.status !== "declared") gaps.push({ kind: "undeclared_field" });
    for (const c of cells) {
      if (!c.declared && purposeStatus.get(c.purpose) !== "declared")
        gaps.push({ kind: "undeclared_purpose_use", purpose: c.purpose });
      else if (!c.declared && f.status === "declared")
        gaps.push({ kind: "undeclared_use", purpose: c.purpose });
      if (c.declared && c.last_used_at === null)
        gaps.push({ kind: "declared_never_used", purpose: c.purpose });
    }
    const dormantCount = held?.dormant ?? 0;
    return {
      field: f.key,
      name: f.name,
      status: f.status,
      sensitivity: f.sensitivity,
      dormancy_days: config.find((c) => c.key === f.key)?.dormancy_days ?? 180,
      holdings: held?.holdings ?? 0,
      dormant: dormantCount,
      dormant_share: held?.dormant_share ?? null,
      last_used_at: held?.last_used_at ?? null,
      risk: dormantCount * (SENSITIVITY_WEIGHTS[f.sensitivity] ?? 1),
      cells,
      gaps,
    };
  });
  fields.sort((a, b) => b.risk - a.risk || b.holdings - a.holdings || a.field.localeCompare(b.field));
  return { from: period.from, to: period.to, at: dormant.at, purposes: names.purposes, fields };
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { computeMetric } from "@/lib/metrics";
import { DAY_MS, dateLabel, startOfDay } from "@/lib/metrics/buckets";
import { ts } from "@/lib/metrics/reference/sql";
import { USED_EVENT } from "@/lib/metrics/rules/event-types";
import type { MetricOptions } from "@/lib/metrics/scope";
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
  /** The customers whose holdings are counted (SPEC 4's filters); the uses of the fields × purposes are everyone's. */
  region: string | null;
  channel: string | null;
  purposes: { key: string; name: string; status: string }[];
  fields: InventoryField[];
}

/**
 * What is held, what is used for what, and what sits unused: fields × purposes with the holdings and dormant
 * data of the dormant-data metric at the end of the period, sorted by risk (dormant holdings × sensitivity).
 * A region or channel filter narrows the holdings (and so the risk) to those customers, as the metric does; the
 * uses in the fields × purposes stay everyone's, since a bulk use belongs to no customer.
 */
export async function dataInventory(
  db: Db,
  workspaceId: number,
  period: { from: string; to: string; region?: string; channel?: string },
  options: Pick<MetricOptions, "consistency" | "catchUp" | "path"> = {},
): Promise<DataInventory> {
  const dormant = (await computeMetric(
    db,
    workspaceId,
    "dormant-data",
    { at: period.to, region: period.region, channel: period.channel },
    options,
  )) as DormantDataResponse;
  const names = await catalog(db, workspaceId);
  const config = await rows<{ key: string; dormancy_days: number; purposes: string[] }>(
    db,
    sql`SELECT key, dormancy_days, purposes FROM fields WHERE workspace_id = ${workspaceId}`,
  );
  const uses = await (options.path === "reference" ? fieldUsesFromEvents : fieldUses)(
    db,
    workspaceId,
    new Date(period.from),
    new Date(period.to),
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
  return {
    from: period.from,
    to: period.to,
    at: dormant.at,
    region: period.region ?? null,
    channel: period.channel ?? null,
    purposes: names.purposes,
    fields,
  };
}

/**
 * Per field and purpose (null: none), the `data.used` events in [from, to] and the latest at or before `to`: from
 * `field_use_daily` (kept by ingestion) for whole days, and from the events only in the two part-days at the ends
 * ([from, the next midnight) and [the midnight before `to`, to]), so the read does not grow with the history's
 * events.
 */
async function fieldUses(db: Db, workspaceId: number, from: Date, to: Date) {
  const firstWholeDay = startOfDay(new Date(from.getTime() + DAY_MS - 1));
  const lastMidnight = startOfDay(to);
  return rows<{ field: string; purpose: string | null; uses: string | number; last_used_at: unknown }>(
    db,
    sql`SELECT field, purpose, sum(uses) AS uses, max(last_used_at) AS last_used_at FROM (
          SELECT field, NULLIF(purpose, '') AS purpose,
            coalesce(sum(uses) FILTER (WHERE day >= ${dateLabel(firstWholeDay)}::date), 0) AS uses, max(last_used_at) AS last_used_at
          FROM field_use_daily WHERE workspace_id = ${workspaceId} AND day < ${dateLabel(lastMidnight)}::date
          GROUP BY 1, 2
          UNION ALL
          SELECT field, purpose, count(*) FILTER (WHERE occurred_at >= ${ts(from)}), max(occurred_at)
          FROM events
          WHERE workspace_id = ${workspaceId} AND type = ${USED_EVENT} AND field IS NOT NULL AND occurred_at <= ${ts(to)}
            AND ((occurred_at >= ${ts(from)} AND occurred_at < ${ts(firstWholeDay)}) OR occurred_at >= ${ts(lastMidnight)})
          GROUP BY 1, 2) u
        GROUP BY 1, 2`,
  );
}

/** The reference of `fieldUses`: every use up to `to` from the events (tests and benchmarks check against it). */
async function fieldUsesFromEvents(db: Db, workspaceId: number, from: Date, to: Date) {
  return rows<{ field: string; purpose: string | null; uses: string | number; last_used_at: unknown }>(
    db,
    sql`SELECT field, purpose, count(*) FILTER (WHERE occurred_at >= ${ts(from)}) AS uses, max(occurred_at) AS last_used_at
        FROM events
        WHERE workspace_id = ${workspaceId} AND type = ${USED_EVENT} AND field IS NOT NULL AND occurred_at <= ${ts(to)}
        GROUP BY field, purpose`,
  );
}

import type { Db } from "@/db/client";
import { authorize } from "@/lib/auth/member";
import type { Permission, Role } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { eventStats } from "@/lib/event-stats";
import { dataInventory } from "@/lib/inventory";
import { campaignLaunches } from "@/lib/campaigns/launches";
import { catalog } from "./workspace-names";
import { churnAfterWithdrawal } from "./churn-after-withdrawal";
import { filterOptions } from "@/lib/metrics/filter-values";
import { parsePeriod } from "./period";
import { suppressionSummary } from "@/lib/suppression/summary";
import { resolveParams } from "@/lib/metrics/params";
import type { MetricOptions } from "@/lib/metrics/scope";

/** `at` of the summary: the instant given, else now. */
const summaryAt = (raw: Raw): Date => resolveParams({ at: raw.at }).at;

type Raw = Record<string, string | undefined>;
/** How the insights built on metrics read the rollups: as the metrics do ("exact" unless told, lib/metrics/index.ts). */
type ReadOptions = Pick<MetricOptions, "consistency" | "catchUp">;

/** The dashboard's read endpoints beyond SPEC section 7's metrics; each with the permission its screen needs. */
const INSIGHTS: Record<
  string,
  {
    permission: Permission | null;
    run: (db: Db, workspaceId: number, raw: Raw, options: ReadOptions) => Promise<unknown>;
    /** It reads the events or a metric: it goes through the read gate (queue, budget, cancellation) like a metric. */
    gated?: true;
  }
> = {
  catalog: { permission: null, run: (db, ws) => catalog(db, ws) },
  "filter-options": { permission: null, run: (db, ws) => filterOptions(db, ws) },
  "churn-after-withdrawal": {
    permission: "metrics:read",
    run: (db, ws, raw, options) => churnAfterWithdrawal(db, ws, parsePeriod(raw), options),
    gated: true,
  },
  "campaign-launches": {
    permission: "metrics:read",
    run: (db, ws, raw) => campaignLaunches(db, ws, parsePeriod(raw)),
  },
  inventory: {
    permission: "inventory:read",
    run: (db, ws, raw, options) => dataInventory(db, ws, parsePeriod(raw), options),
    gated: true,
  },
  "event-stats": { permission: "events:read", run: (db, ws, raw) => eventStats(db, ws, parsePeriod(raw)) },
  // Counts of the suppression lists (no subjects): the Suppression screen, for the roles that may read the lists.
  // From the rollups and one day's consent events (the events when the rollups are not complete): through the
  // read gate like the metrics.
  "suppression-summary": {
    permission: "suppression:read",
    run: (db, ws, raw, options) => suppressionSummary(db, ws, summaryAt(raw), options),
    gated: true,
  },
};

export const INSIGHT_NAMES = Object.keys(INSIGHTS);

/** The insight of that name; an own key only, so `constructor` or `__proto__` is unknown like any other name. */
const insightNamed = (name: string) => (Object.hasOwn(INSIGHTS, name) ? INSIGHTS[name] : undefined);

/** Whether the insight reads the events (or a metric) and so passes the read gate, as metric reads do. */
export const isGatedInsight = (name: string): boolean => insightNamed(name)?.gated === true;

export async function computeInsight(
  db: Db,
  actor: { workspaceId: number; role: Role },
  name: string,
  raw: Raw,
  options: ReadOptions = {},
): Promise<unknown> {
  const insight = insightNamed(name);
  if (!insight) throw notFound(`unknown insight '${name}': expected one of ${INSIGHT_NAMES.join(", ")}`);
  if (insight.permission) authorize(actor, insight.permission);
  return insight.run(db, actor.workspaceId, raw, options);
}

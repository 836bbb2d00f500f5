import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * SPEC 4, dormant data: a holding (a subject whose latest collection or deletion of the field is a collection) is
 * dormant at an instant when it was collected at or before `since` (the instant − the field's window W) and the field
 * was used neither for the subject nor in bulk after `since`. Shared by the dormant-data metric's raw-event path
 * and the give-back audience (lib/campaigns/audience.ts); the rollup rows (state/contributions.ts, `holdingRows`)
 * count the same rule at day boundaries.
 */
export const dormantSql = (h: { collectedAt: SQL; usedAt: SQL; bulkUsedAt: SQL }, since: SQL): SQL =>
  sql`(${h.collectedAt} <= ${since} AND (${h.usedAt} IS NULL OR ${h.usedAt} <= ${since}) AND (${h.bulkUsedAt} IS NULL OR ${h.bulkUsedAt} <= ${since}))`;

import { resolveParams } from "@/lib/metrics/params";
import type { Granularity } from "@/lib/metrics/types";

export interface InsightPeriod {
  from: string;
  to: string;
  granularity: Granularity;
  region?: string;
  channel?: string;
  /** Checked where a read takes it (churn after withdrawal: it must name a purpose, though it counts every consent). */
  purpose?: string;
}

/** The period, granularity and subject filters read exactly as the metrics API reads them: same defaults, same 400s. */
export function parsePeriod(raw: Record<string, string | undefined>): InsightPeriod {
  const p = resolveParams(raw);
  return {
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    granularity: p.granularity,
    region: p.region,
    channel: p.channel,
    purpose: p.purpose,
  };
}

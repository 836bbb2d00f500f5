import type { View } from "@/app/_components/view";
import type { MetricsReader } from "@/lib/metrics/access";
import { gatedMetricRead } from "@/lib/server/metric-reads";
import type { OverallResponse, TrustIndexResponse, TrustScoreResponse } from "@/lib/metrics/types";
import type { SnapshotView } from "@/lib/snapshots";
import { overviewQueries } from "../overview-params";

type Pair<T> = [T, T];

/** Every metric answer an Overview snapshot is drawn from (this period and the previous one), and when. */
export interface SnapshotData {
  computedAt: string;
  /** The rates over all purposes, this period and the previous one, with their counts. */
  overall: OverallResponse;
  trustScore: Pair<TrustScoreResponse>;
  trustIndex: TrustIndexResponse;
}

/** Answers one metric query: the dashboard's gated read, or `computeMetric` itself (tests, the CLI). */
export type MetricRead = (name: string, params: Record<string, string>) => Promise<unknown>;

/**
 * The dashboard's read of a snapshot's metrics: exact (a board pack counts every committed event) yet through the
 * read gate, so its heavy reads keep to the budget like any other and stop when the client goes away.
 */
export const gatedSnapshotRead =
  (reader: MetricsReader, signal?: AbortSignal): MetricRead =>
  (name, params) =>
    gatedMetricRead(reader, name, { ...params, consistency: "exact" }, signal);

/** The Overview's queries answered as the API answers them, for the view's period and the one before it. */
export async function overviewSnapshotData(read: MetricRead, view: View): Promise<SnapshotData> {
  const q = overviewQueries(view);
  const pair = <T>(name: string, now: Record<string, string>, before: Record<string, string>) =>
    Promise.all([now, before].map((params) => read(name, params) as Promise<T>)) as Promise<Pair<T>>;
  const [overall, trustScore, trustIndex] = await Promise.all([
    read("overall", q.current) as Promise<OverallResponse>,
    pair<TrustScoreResponse>("trust-score", q.current, q.previous),
    read("trust-index", q.trustIndex) as Promise<TrustIndexResponse>,
  ]);
  return { computedAt: new Date().toISOString(), overall, trustScore, trustIndex };
}

/** The part of a screen's view a snapshot keeps: the Overview ignores a purpose, and uses granularity only for charts. */
export function snapshotViewOf(view: View): SnapshotView {
  return {
    from: view.from,
    to: view.to,
    ...(view.region ? { region: view.region } : {}),
    ...(view.channel ? { channel: view.channel } : {}),
  };
}

/** A snapshot's view as a screen view (monthly, as the Overview's Trust Index). */
export function viewOfSnapshot(view: SnapshotView): View {
  return { ...view, granularity: "month" };
}

import Link from "next/link";
import type { ReactNode } from "react";
import { formatPoints } from "./format";
import { useFormats } from "./providers";

/**
 * One KPI: its value (or "not enough data"), its scale, a link to its definition (`/definitions#<id>`), "how this
 * number was made" folded under it, and its change below.
 */
export function KpiTile({
  id,
  label,
  value,
  scale,
  enough = true,
  headline = false,
  how,
  children,
}: {
  id: string;
  label: string;
  value: string;
  scale?: string;
  enough?: boolean;
  headline?: boolean;
  how?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={headline ? "kpi kpi-headline" : "kpi"} data-kpi={id} data-enough={enough}>
      <div className="kpi-label">
        <span>{label}</span>
        <Link
          href={`/definitions#${id}`}
          aria-label={`Definition of ${label}`}
          title={`How ${label.toLowerCase()} is computed`}
        >
          ?
        </Link>
      </div>
      <div className={enough ? "kpi-value" : "kpi-value kpi-value-none"} data-kpi-value>
        {value}
      </div>
      {scale ? (
        <div className="kpi-scale" data-kpi-scale>
          {scale}
        </div>
      ) : null}
      {children}
      {how ? (
        <details className="kpi-how" data-kpi-how>
          <summary>How this number was made</summary>
          <div>{how}</div>
        </details>
      ) : null}
    </div>
  );
}

/**
 * The change against the previous period, in percentage points for rates and points for scores. `higherIsBetter`
 * colours the arrow: for withdrawal rate, dormant share and churn rate a fall is good news.
 */
export function KpiChange({
  current,
  previous,
  format,
  unit,
  higherIsBetter,
  previousLabel,
  incomparable = null,
}: {
  current: number | null;
  previous: number | null;
  format: (v: number | null) => string;
  unit: "pp" | "points";
  higherIsBetter: boolean;
  previousLabel: string;
  /** Why the two values must not be compared although both exist (shown instead of the change). */
  incomparable?: string | null;
}) {
  const f = useFormats();
  const delta = current !== null && previous !== null && incomparable === null ? current - previous : null;
  const rounded = delta === null ? null : Math.round((unit === "pp" ? delta * 100 : delta) * 10) / 10;
  const direction = rounded === null || rounded === 0 ? "flat" : rounded > 0 ? "up" : "down";
  const tone = direction === "flat" ? "flat" : (direction === "up") === higherIsBetter ? "good" : "bad";
  const verdict = tone === "good" ? "better" : tone === "bad" ? "worse" : "unchanged";
  return (
    <div className={`kpi-change ${tone}`} data-kpi-change={rounded ?? ""}>
      {incomparable !== null ? (
        <span className="muted" data-kpi-incomparable>
          No comparison with {format(previous)} in {previousLabel}: {incomparable}
        </span>
      ) : rounded === null ? (
        <span className="muted">No comparison: no data for {previousLabel}</span>
      ) : (
        <>
          <span className="kpi-delta">
            <span aria-hidden="true">{direction === "up" ? "▲" : direction === "down" ? "▼" : "■"}</span>{" "}
            {formatPoints(f, rounded, true)} {unit === "pp" ? "pp" : "pts"}
            <span className="sr-only"> ({verdict})</span>
          </span>
          <span className="muted">
            vs {format(previous)} in {previousLabel}
          </span>
        </>
      )}
    </div>
  );
}

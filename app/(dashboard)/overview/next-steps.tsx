"use client";

import Link from "next/link";
import { formatPoints } from "@/app/_components/format";
import { useCan, useFormats } from "@/app/_components/providers";
import { COMPONENT_LABELS } from "@/app/_components/trust-index-chart";
import type { Permission } from "@/lib/auth/permissions";
import type { TrustComponent, TrustIndexMonth } from "@/lib/metrics/types";

/** What raises each component, and the screen where it is done. */
const ACTIONS: Record<TrustComponent, { action: string; href: string; screen: string; needs: Permission }> = {
  consent: {
    action: "Rework the asks that customers refuse most: what is promised, where and when it is asked.",
    href: "/purposes",
    screen: "Purposes",
    needs: "metrics:read",
  },
  retention: {
    action: "Find the purposes that lose consents and keep their promise.",
    href: "/purposes",
    screen: "Purposes",
    needs: "metrics:read",
  },
  reciprocity: {
    action:
      "Deliver value to the customers whose data is used: the purposes that use most and give least come first.",
    href: "/reciprocity",
    screen: "Reciprocity",
    needs: "metrics:read",
  },
  minimisation: {
    action: "Give back or delete the dormant data, starting with the riskiest field.",
    href: "/inventory",
    screen: "Data inventory",
    needs: "inventory:read",
  },
  transparency: {
    action: "Declare the purposes and fields seen in events, with what each promises.",
    href: "/settings/purposes",
    screen: "Settings",
    needs: "settings:read",
  },
  accountability: {
    action: "Answer data requests on time: the overdue and late ones by type are on Requests.",
    href: "/requests",
    screen: "Requests",
    needs: "requests:read",
  },
  survey: {
    action: "Look at who leaves after taking back a consent, and why.",
    href: "/churn",
    screen: "Churn",
    needs: "metrics:read",
  },
};

/** Points the index loses to a component: its weight × (1 − value) × 100. The largest losses are where to act. */
function lost(month: TrustIndexMonth, c: TrustComponent): number | null {
  const value = month.components[c];
  const weight = month.weights[c];
  return value === null || weight === undefined ? null : weight * (1 - value) * 100;
}

/** Up to three actions for the components that cost the index the most points in its last month. */
export function NextSteps({ month, query }: { month: TrustIndexMonth; query: string }) {
  const f = useFormats();
  const can = useCan();
  const steps = (Object.keys(ACTIONS) as TrustComponent[])
    .map((c) => ({ c, points: lost(month, c) }))
    .filter((s): s is { c: TrustComponent; points: number } => s.points !== null && s.points >= 0.5)
    .sort((a, b) => b.points - a.points)
    .slice(0, 3);
  if (!steps.length) return <p>Every component is close to its best: keep it there.</p>;
  return (
    <ol className="next-steps">
      {steps.map(({ c, points }) => {
        const a = ACTIONS[c];
        return (
          <li key={c} data-next-step={c}>
            <strong>{COMPONENT_LABELS[c]}</strong> costs the index {formatPoints(f, points)} points.{" "}
            {a.action}{" "}
            {can(a.needs) ? (
              <Link href={a.href === "/settings/purposes" ? a.href : `${a.href}?${query}`}>
                Open {a.screen}
              </Link>
            ) : (
              <span className="muted">({a.screen}: ask the team that runs it)</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

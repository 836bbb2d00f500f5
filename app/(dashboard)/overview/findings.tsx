"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { formatCount, formatDay, formatRate } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { overallOptInRate } from "@/app/_components/overall";
import { useCan, useFormats } from "@/app/_components/providers";
import { useChurnAfterWithdrawalQuery, useDormantDataQuery, useOptInQuery } from "@/app/_components/queries";
import { Boundary } from "@/app/_components/states";
import type { Permission } from "@/lib/auth/permissions";
import { MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import type { overviewQueries } from "./overview-params";

/** Below this many answers an opt-in rate is noise, not a finding: the dashboard's one "not enough data" rule. */
const MIN_ANSWERED = MIN_SAMPLE;

type Q = ReturnType<typeof overviewQueries>;

/** A finding, with a link to the screen that explains it when the reader's role may open that screen. */
function Finding({ id, href, needs, children }: { id: string; href: string; needs: Permission; children: ReactNode }) {
  const can = useCan();
  return (
    <li data-finding={id} style={{ marginBottom: 10 }}>
      <Boundary height={40}>
        {children} {can(needs) ? <Link href={href}>Details</Link> : null}
      </Boundary>
    </li>
  );
}

function RefusedPurpose({ q }: { q: Q }) {
  const f = useFormats();
  const names = useNames();
  const optIn = useOptInQuery(q.current);
  const refused = optIn.purposes.filter((p) => p.answered >= MIN_ANSWERED && p.opt_in_rate !== null).sort((a, b) => (a.opt_in_rate ?? 0) - (b.opt_in_rate ?? 0))[0];
  if (!refused) return <>No purpose was asked of {MIN_ANSWERED} customers or more in this period.</>;
  return (
    <>
      <strong>{names.purpose(refused.purpose)}</strong> is the most refused ask: {formatRate(f, refused.opt_in_rate)} of the {formatCount(f, refused.answered)} customers asked said yes
      (all purposes: {formatRate(f, overallOptInRate(optIn))}).
    </>
  );
}

function DormantPile({ q }: { q: Q }) {
  const f = useFormats();
  const names = useNames();
  const pile = useDormantDataQuery(q.dormantNow)
    .fields.filter((x) => x.dormant > 0)
    .sort((a, b) => b.dormant - a.dormant)[0];
  if (!pile) return <>No dormant data at the end of the period.</>;
  return (
    <>
      <strong>{names.field(pile.field)}</strong> is the largest pile of unused data: {formatCount(f, pile.dormant)} of {formatCount(f, pile.holdings)} holdings (
      {formatRate(f, pile.dormant_share)}) are dormant, and it was {pile.last_used_at ? `last used on ${formatDay(f, pile.last_used_at)}` : "never used"}.
    </>
  );
}

function ChurnAfterWithdrawal({ q }: { q: Q }) {
  const f = useFormats();
  const churn = useChurnAfterWithdrawalQuery(q.churnAfterWithdrawal);
  if (churn.withdrew.churn_rate === null) return <>No active customer withdrew a consent in this period.</>;
  return (
    <>
      Customers who withdrew a consent churned at <strong>{formatRate(f, churn.withdrew.churn_rate)}</strong>, against {formatRate(f, churn.did_not_withdraw.churn_rate)} for those who did not
      {churn.median_days_to_churn !== null ? ` (typically ${Math.round(churn.median_days_to_churn)} days after withdrawing)` : ""}.
    </>
  );
}

function TransparencyGap() {
  const { catalog } = useNames();
  const gaps = [...catalog.purposes.filter((p) => p.status !== "declared").map((p) => `${p.key} (purpose)`), ...catalog.fields.filter((x) => x.status !== "declared").map((x) => `${x.key} (field)`)];
  if (!gaps.length) return <>Every purpose and field seen in events is declared.</>;
  return (
    <>
      <strong>Transparency gap:</strong> {gaps.length} {gaps.length === 1 ? "key" : "keys"} seen in events {gaps.length === 1 ? "is" : "are"} not declared — {gaps.join(", ")}.
    </>
  );
}

/** The period's notable facts, found in the same answers as the KPIs: the most refused ask, the largest pile of unused data, churn after withdrawals, transparency gaps. */
export function Findings({ q, viewQuery }: { q: Q; viewQuery: string }) {
  return (
    <ul style={{ paddingLeft: 18, margin: 0 }}>
      <Finding id="refused-purpose" href={`/purposes?${viewQuery}`} needs="metrics:read">
        <RefusedPurpose q={q} />
      </Finding>
      <Finding id="dormant-field" href={`/inventory?${viewQuery}`} needs="inventory:read">
        <DormantPile q={q} />
      </Finding>
      <Finding id="churn-after-withdrawal" href={`/churn?${viewQuery}`} needs="metrics:read">
        <ChurnAfterWithdrawal q={q} />
      </Finding>
      <Finding id="transparency-gap" href={`/inventory?${viewQuery}`} needs="inventory:read">
        <TransparencyGap />
      </Finding>
    </ul>
  );
}

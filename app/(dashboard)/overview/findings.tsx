"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { formatCount, formatDay, formatRate } from "@/app/_components/format";
import { useNames } from "@/app/_components/names";
import { useCan, useFormats } from "@/app/_components/providers";
import { overallOptIn } from "@/lib/metrics/overall-rates";
import {
  useChurnAfterWithdrawalQuery,
  useControlEffectQuery,
  useDormantDataQuery,
  useDsarQuery,
  useFirstUseQuery,
  useOptInQuery,
  useWithdrawalsQuery,
} from "@/app/_components/queries";
import { askWhenNeeded, MIN_UNUSED_SHARE } from "@/lib/metrics/ask-when-needed";
import { sourceLabel } from "@/lib/metrics/sources";
import { Boundary } from "@/app/_components/states";
import type { Permission } from "@/lib/auth/permissions";
import { MIN_SAMPLE } from "@/lib/metrics/sufficiency";
import type { overviewQueries } from "./overview-params";

/** Below this many answers an opt-in rate is noise, not a finding: the dashboard's one "not enough data" rule. */
const MIN_ANSWERED = MIN_SAMPLE;

type Q = ReturnType<typeof overviewQueries>;

/** A finding, with a link to the screen that explains it when the reader's role may open that screen. */
function Finding({
  id,
  href,
  needs,
  fallback,
  children,
}: {
  id: string;
  href: string;
  needs: Permission;
  /** Where "Details" leads a reader who may not open `href` (none: no link). */
  fallback?: string;
  children: ReactNode;
}) {
  const can = useCan();
  const target = can(needs) ? href : fallback;
  return (
    <li data-finding={id} style={{ marginBottom: 10 }}>
      <Boundary height={40}>
        {children} {target ? <Link href={target}>Details</Link> : null}
      </Boundary>
    </li>
  );
}

function RefusedPurpose({ q }: { q: Q }) {
  const f = useFormats();
  const names = useNames();
  const optIn = useOptInQuery(q.current);
  const refused = optIn.purposes
    .filter((p) => p.answered >= MIN_ANSWERED && p.opt_in_rate !== null)
    .sort((a, b) => (a.opt_in_rate ?? 0) - (b.opt_in_rate ?? 0))[0];
  if (!refused) return <>No purpose was asked of {MIN_ANSWERED} customers or more in this period.</>;
  return (
    <>
      <strong>{names.purpose(refused.purpose)}</strong> is the most refused ask:{" "}
      {formatRate(f, refused.opt_in_rate)} of the {formatCount(f, refused.answered)} customers asked said yes
      (all purposes: {formatRate(f, overallOptIn(optIn).value)}).
    </>
  );
}

function DormantPile({ q }: { q: Q }) {
  const f = useFormats();
  const names = useNames();
  const fields = useDormantDataQuery(q.dormantNow).fields;
  const pile = fields.filter((x) => x.dormant > 0).sort((a, b) => b.dormant - a.dormant)[0];
  if (!fields.some((x) => x.holdings > 0)) return <>No customer data was held at the end of the period.</>;
  if (!pile) return <>No dormant data at the end of the period.</>;
  return (
    <>
      <strong>{names.field(pile.field)}</strong> is the largest pile of unused data:{" "}
      {formatCount(f, pile.dormant)} of {formatCount(f, pile.holdings)} holdings (
      {formatRate(f, pile.dormant_share)}) are dormant, and it was{" "}
      {pile.last_used_at ? `last used on ${formatDay(f, pile.last_used_at)}` : "never used"}.
    </>
  );
}

function ChurnAfterWithdrawal({ q }: { q: Q }) {
  const f = useFormats();
  const churn = useChurnAfterWithdrawalQuery(q.churnAfterWithdrawal);
  if (churn.withdrew.churn_rate === null) return <>No active customer withdrew a consent in this period.</>;
  return (
    <>
      Customers who withdrew a consent churned at <strong>{formatRate(f, churn.withdrew.churn_rate)}</strong>,
      against {formatRate(f, churn.did_not_withdraw.churn_rate)} for those who did not
      {churn.median_days_to_churn !== null
        ? ` (typically ${Math.round(churn.median_days_to_churn)} days after withdrawing)`
        : ""}
      .
    </>
  );
}

function OptOutChannel({ q }: { q: Q }) {
  const f = useFormats();
  const sources = Object.entries(useWithdrawalsQuery(q.current).sources).sort((a, b) => b[1] - a[1]);
  const total = sources.reduce((s, [, n]) => s + n, 0);
  const top = sources[0];
  if (!top) return <>Nobody opted out in this period.</>;
  return (
    <>
      Most opt-outs came through <strong>{sourceLabel(top[0])}</strong>: {formatCount(f, top[1])} of{" "}
      {formatCount(f, total)} ({formatRate(f, top[1] / total)}), across {sources.length}{" "}
      {sources.length === 1 ? "source" : "sources"} — every one of them must reach the suppression lists.
    </>
  );
}

function LateRequests({ q }: { q: Q }) {
  const f = useFormats();
  const total = useDsarQuery(q.churnAfterWithdrawal).requests.total;
  if (total.due === 0 && total.open_at_end === 0) return <>No data subject request was due in this period.</>;
  return (
    <>
      <strong>{formatRate(f, total.on_time_rate)}</strong> of the {formatCount(f, total.due)} data requests
      due in the period were answered on time; {formatCount(f, total.overdue_at_end)}{" "}
      {total.overdue_at_end === 1 ? "is" : "are"} overdue at its end.
    </>
  );
}

function ControlPays({ q }: { q: Q }) {
  const f = useFormats();
  const effect = useControlEffectQuery(q.churnAfterWithdrawal);
  if (effect.difference === null)
    return <>Not enough customers with and without a control used to compare their churn.</>;
  return (
    <>
      Customers who had used a control churned at{" "}
      <strong>{formatRate(f, effect.used_control.churn_rate)}</strong>, against{" "}
      {formatRate(f, effect.no_control.churn_rate)} for those who had not (
      {formatCount(f, effect.used_control.active)} and {formatCount(f, effect.no_control.active)} customers;
      an association, not cause).
    </>
  );
}

function AskLater({ q }: { q: Q }) {
  const f = useFormats();
  const names = useNames();
  const firstUse = useFirstUseQuery(q.churnAfterWithdrawal);
  const worst = askWhenNeeded(firstUse)[0];
  if (!firstUse.fields.some((x) => x.collected > 0))
    return <>No customer data was first collected in this period.</>;
  if (!worst)
    return (
      <>
        No journey step left {formatRate(f, MIN_UNUSED_SHARE)} or more of the data it collected in this period
        unused for the field&rsquo;s dormancy window.
      </>
    );
  return (
    <>
      <strong>Ask when needed:</strong> {formatRate(f, worst.share)} of the {names.field(worst.field)} values
      asked at {worst.context === "unknown" ? "an unstated step" : worst.context} went unused for the
      field&rsquo;s whole dormancy window.
    </>
  );
}

function TransparencyGap() {
  const { catalog } = useNames();
  const gaps = [
    ...catalog.purposes.filter((p) => p.status !== "declared").map((p) => `${p.key} (purpose)`),
    ...catalog.fields.filter((x) => x.status !== "declared").map((x) => `${x.key} (field)`),
  ];
  if (!gaps.length) return <>Every purpose and field seen in events is declared.</>;
  return (
    <>
      <strong>Transparency gap:</strong> {gaps.length} {gaps.length === 1 ? "key" : "keys"} seen in events{" "}
      {gaps.length === 1 ? "is" : "are"} not declared — {gaps.join(", ")}.
    </>
  );
}

/** The period's notable facts: the most refused ask, the largest pile of unused data, churn after withdrawals, where people opt out, late data requests, the control effect, data asked too early, transparency gaps. */
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
      <Finding id="opt-out-channel" href={`/purposes?${viewQuery}#opt-outs-by-source`} needs="metrics:read">
        <OptOutChannel q={q} />
      </Finding>
      <Finding
        id="late-requests"
        href={`/requests?${viewQuery}`}
        needs="requests:read"
        fallback="/definitions#dsar-on-time"
      >
        <LateRequests q={q} />
      </Finding>
      <Finding id="control-effect" href={`/churn?${viewQuery}`} needs="metrics:read">
        <ControlPays q={q} />
      </Finding>
      <Finding id="ask-when-needed" href={`/inventory?${viewQuery}`} needs="inventory:read">
        <AskLater q={q} />
      </Finding>
      <Finding id="transparency-gap" href={`/inventory?${viewQuery}`} needs="inventory:read">
        <TransparencyGap />
      </Finding>
    </ul>
  );
}

"use client";

import { useNames } from "@/app/_components/names";
import { EmptyState } from "@/app/_components/states";

export const NO_ANSWERS = (
  <EmptyState title="Nobody was asked in this period.">
    Send <code>consent.granted</code> and <code>consent.denied</code> events with a <code>purpose</code> (and{" "}
    <code>channel</code>, <code>region</code>, <code>context</code> for the breakdowns), or widen the period.
  </EmptyState>
);

export function PurposeName({ purpose }: { purpose: string }) {
  const names = useNames();
  return (
    <>
      {names.purpose(purpose)}
      {!names.purposeDeclared(purpose) ? (
        <>
          {" "}
          <span className="badge badge-gap" title="Seen in events but never declared: a transparency gap">
            undeclared
          </span>
        </>
      ) : null}
    </>
  );
}

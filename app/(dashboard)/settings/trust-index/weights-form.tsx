"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Card } from "@/app/_components/card";
import { formatRate } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { TrustComponent, TrustWeights } from "@/lib/settings/weights";
import { errorText, settingsApi } from "../api";
import styles from "../settings.module.css";

const LABELS: Record<TrustComponent, string> = {
  consent: "Consent (opt-in rate)",
  retention: "Retention of consent (1 − withdrawal rate)",
  reciprocity: "Reciprocity",
  minimisation: "Data minimisation (1 − dormant share)",
  transparency: "Transparency (declared purposes and fields)",
  accountability: "Accountability (data requests answered on time)",
  survey: "Trust survey",
};

export function WeightsForm({
  initial,
  defaults,
  canWrite,
}: {
  initial: TrustWeights;
  defaults: TrustWeights;
  canWrite: boolean;
}) {
  const f = useFormats();
  const [weights, setWeights] = useState<Record<TrustComponent, string>>(() => stringify(initial));
  const save = useMutation({
    mutationFn: (body: TrustWeights) => settingsApi<TrustWeights>("PUT", "trust-weights", body),
  });
  const numbers = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, Number(v)])) as TrustWeights;
  const total = Object.values(numbers).reduce((a, b) => a + (Number.isFinite(b) && b > 0 ? b : 0), 0);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    save.mutate(numbers);
  }

  return (
    <Card
      id="trust-weights"
      title="Trust Index weights"
      description="The index is the weighted mean of its components; a component without data is left out and the others renormalised. Weights need not add up to 1."
      actions={
        <Link className="btn btn-small" href="/definitions#trust-index">
          Definition
        </Link>
      }
    >
      <form className={styles.form} onSubmit={onSubmit} aria-label="Trust Index weights">
        {(Object.keys(LABELS) as TrustComponent[]).map((c) => (
          <label key={c}>
            {LABELS[c]}
            <input
              className="input"
              name={c}
              type="number"
              min={0}
              max={100}
              step="any"
              required
              value={weights[c]}
              disabled={!canWrite}
              onChange={(e) => setWeights({ ...weights, [c]: e.target.value })}
            />
            <span className="muted num">
              {total > 0 && numbers[c] >= 0 ? `${formatRate(f, numbers[c] / total)} of the index` : "—"}
            </span>
          </label>
        ))}
        {canWrite ? (
          <div className={styles.actions}>
            <button className="btn btn-primary" type="submit" disabled={save.isPending}>
              Save weights
            </button>
            <button className="btn" type="button" onClick={() => setWeights(stringify(defaults))}>
              Reset to defaults
            </button>
            {save.isError ? (
              <span className={styles.error} role="alert">
                {errorText(save.error)}
              </span>
            ) : null}
            {save.isSuccess ? (
              <span className={styles.ok} role="status">
                Saved: the Trust Index uses these weights from now on.
              </span>
            ) : null}
          </div>
        ) : null}
      </form>
    </Card>
  );
}

function stringify(w: TrustWeights): Record<TrustComponent, string> {
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, String(v)])) as Record<
    TrustComponent,
    string
  >;
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Card } from "@/app/_components/card";
import type { WebhookSettings } from "@/lib/settings/webhook";
import { settingsApi } from "../api";
import { FormActions, OneTimeSecret } from "../parts";
import styles from "../settings.module.css";

type Saved = WebhookSettings & { generated_secret: string | null };

export function WebhookForm({ initial, canWrite }: { initial: WebhookSettings; canWrite: boolean }) {
  const [state, setState] = useState<Saved>({ ...initial, generated_secret: null });
  const [mode, setMode] = useState<"keep" | "generate" | "set">(initial.secret_set ? "keep" : "generate");
  const save = useMutation({
    mutationFn: (body: unknown) => settingsApi<Saved>("PUT", "webhook", body),
    onSuccess: (saved) => {
      setState(saved);
      setMode(saved.secret_set ? "keep" : "generate");
    },
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const secret = mode === "set" ? { mode, value: String(f.get("secret") ?? "") } : { mode };
    save.mutate({ url: String(f.get("url") ?? "").trim() || null, secret });
  }

  return (
    <Card
      id="webhook"
      title="Campaign hand-off webhook"
      description="When a give-back campaign launches, each batch of recipients is POSTed here, signed with HMAC-SHA256 of the body using this secret."
    >
      {state.generated_secret ? (
        <OneTimeSecret
          testId="webhook-secret"
          title="Copy the signing secret now: it will not be shown again."
        >
          <code>{state.generated_secret}</code>
        </OneTimeSecret>
      ) : null}
      <form className={styles.form} onSubmit={onSubmit} aria-label="Webhook">
        <label className={styles.full}>
          URL (https; leave empty to turn the webhook off)
          <input
            className="input"
            name="url"
            type="url"
            defaultValue={state.url ?? ""}
            placeholder="https://example.com/trustledger-hook"
            disabled={!canWrite}
          />
        </label>
        <fieldset className={`${styles.full} ${styles.checks}`} disabled={!canWrite}>
          <legend className="muted">Signing secret {state.secret_set ? "(one is set)" : "(none set)"}</legend>
          {state.secret_set ? (
            <label>
              <input type="radio" name="mode" checked={mode === "keep"} onChange={() => setMode("keep")} />{" "}
              keep the current one
            </label>
          ) : null}
          <label>
            <input
              type="radio"
              name="mode"
              checked={mode === "generate"}
              onChange={() => setMode("generate")}
            />{" "}
            generate a new one
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === "set"} onChange={() => setMode("set")} /> use my
            own
          </label>
        </fieldset>
        {mode === "set" ? (
          <label className={styles.full}>
            Secret (at least 16 characters)
            <input
              className="input"
              name="secret"
              type="password"
              autoComplete="off"
              minLength={16}
              maxLength={256}
              required
            />
          </label>
        ) : null}
        {canWrite ? (
          <FormActions
            label="Save webhook"
            pending={save.isPending}
            error={save.error}
            saved={save.isSuccess ? "Saved." : null}
          />
        ) : null}
      </form>
    </Card>
  );
}

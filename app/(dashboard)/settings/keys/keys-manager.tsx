"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Card } from "@/app/_components/card";
import { DataTable, type TableData } from "@/app/_components/data-table";
import { EmptyState } from "@/app/_components/states";
import type { CreatedKey, listApiKeys } from "@/lib/keys";
import { errorText, settingsApi } from "../api";
import { actionsColumn, FormActions, OneTimeSecret, TableCsv } from "../parts";
import styles from "../settings.module.css";

type KeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];

const SCOPE_HELP: Record<string, string> = {
  ingest: "send events (POST /api/v1/events)",
  read: "read metrics (GET /api/v1/metrics/…)",
  suppression: "read suppression lists of subjects (GET /api/v1/suppression)",
};
const minute = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : null);

export function KeysManager({ initial, scopes }: { initial: KeyRow[]; scopes: string[] }) {
  const client = useQueryClient();
  const { data } = useQuery({
    queryKey: ["settings-keys"],
    queryFn: async () => (await settingsApi<{ keys: KeyRow[] }>("GET", "keys")).keys,
    initialData: initial,
  });
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["settings-keys"] });
  const create = useMutation({
    mutationFn: (body: unknown) => settingsApi<CreatedKey>("POST", "keys", body),
    onSuccess: async (k) => {
      setCreated(k);
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => settingsApi("DELETE", `keys/${id}`),
    onSettled: refresh,
  });

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setCreated(null);
    create.mutate({ name: f.get("name"), scopes: f.getAll("scopes") }, { onSuccess: () => form.reset() });
  }

  const table: TableData<KeyRow> = {
    filename: "api-keys",
    rows: data,
    columns: [
      { key: "prefix", label: "Prefix", value: (k) => k.prefix, format: (k) => <code>{k.prefix}</code> },
      { key: "name", label: "Name", value: (k) => k.name, format: (k) => k.name ?? "—" },
      {
        key: "scopes",
        label: "Scopes",
        value: (k) => k.scopes.join(" "),
        format: (k) => k.scopes.join(", "),
      },
      {
        key: "created_at",
        label: "Created (UTC)",
        value: (k) => k.created_at,
        format: (k) => minute(k.created_at),
      },
      {
        key: "last_used_at",
        label: "Last used (UTC)",
        value: (k) => k.last_used_at,
        format: (k) => minute(k.last_used_at) ?? "never",
      },
      {
        key: "revoked_at",
        label: "Revoked",
        value: (k) => k.revoked_at,
        format: (k) =>
          k.revoked_at ? <span className="badge badge-low">revoked {k.revoked_at.slice(0, 10)}</span> : "—",
      },
      actionsColumn<KeyRow>((k) =>
        k.revoked_at ? null : (
          <button
            type="button"
            className="btn btn-small"
            disabled={revoke.isPending}
            onClick={() =>
              window.confirm(`Revoke ${k.prefix}? Senders using it get 401 at once.`) && revoke.mutate(k.id)
            }
          >
            Revoke
          </button>
        ),
      ),
    ],
  };

  return (
    <div className={styles.stack}>
      <Card
        id="new-key"
        title="Create an API key"
        description="The key is shown once. Only its hash is stored: if it is lost, revoke it and create another."
      >
        {created ? (
          <OneTimeSecret testId="new-api-key" title="Copy this key now: it will not be shown again.">
            <code>{created.key}</code>
          </OneTimeSecret>
        ) : null}
        <form className={styles.form} onSubmit={onCreate} aria-label="Create an API key">
          <label>
            Name
            <input className="input" name="name" maxLength={100} placeholder="e.g. CRM export" />
          </label>
          <fieldset className={`${styles.full} ${styles.checks}`}>
            <legend className="muted">Scopes</legend>
            {scopes.map((s) => (
              <label key={s}>
                <input type="checkbox" name="scopes" value={s} defaultChecked={s === "ingest"} />
                {s} <span className="muted">— {SCOPE_HELP[s] ?? s}</span>
              </label>
            ))}
          </fieldset>
          <FormActions label="Create key" pending={create.isPending} error={create.error} />
        </form>
      </Card>
      <Card
        id="keys"
        title="API keys"
        description="Listed by prefix; the last use is updated at most once a minute."
        actions={<TableCsv table={table} />}
      >
        {revoke.error ? (
          <p className={styles.error} role="alert">
            {errorText(revoke.error)}
          </p>
        ) : null}
        {data.length === 0 ? (
          <EmptyState title="No API keys yet">
            Create one to send events or read metrics from another system.
          </EmptyState>
        ) : (
          <DataTable table={table} rowKey={(k) => String(k.id)} testId="settings-keys" />
        )}
      </Card>
    </div>
  );
}

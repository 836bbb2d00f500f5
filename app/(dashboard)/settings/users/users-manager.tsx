"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Card } from "@/app/_components/card";
import { DataTable, type TableData } from "@/app/_components/data-table";
import type { Role } from "@/lib/auth/permissions";
import type { CreatedMember, MemberRow } from "@/lib/users";
import { errorText, settingsApi } from "../api";
import { actionsColumn, FormActions, OneTimeSecret, TableCsv } from "../parts";
import styles from "../settings.module.css";

const ROLE_HELP: Record<Role, string> = {
  admin: "everything, including settings, users and keys",
  privacy: "data inventory, campaigns (create, approve, launch), events, audit log",
  marketer: "metrics and purposes",
  executive: "metrics",
};

export function UsersManager({ initial, roles, me }: { initial: MemberRow[]; roles: Role[]; me: number }) {
  const client = useQueryClient();
  const { data } = useQuery({ queryKey: ["settings-users"], queryFn: async () => (await settingsApi<{ members: MemberRow[] }>("GET", "users")).members, initialData: initial });
  const [created, setCreated] = useState<CreatedMember | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["settings-users"] });
  const invite = useMutation({
    mutationFn: (body: unknown) => settingsApi<CreatedMember>("POST", "users", body),
    onSuccess: async (c) => {
      setCreated(c);
      await refresh();
    },
  });
  const change = useMutation({ mutationFn: ({ id, role }: { id: number; role: Role }) => settingsApi("PATCH", `users/${id}`, { role }), onSettled: refresh });
  const remove = useMutation({ mutationFn: (id: number) => settingsApi("DELETE", `users/${id}`), onSettled: refresh });
  const failure = change.error ?? remove.error;

  const table: TableData<MemberRow> = {
    filename: "members",
    rows: data,
    columns: [
      { key: "email", label: "E-mail", value: (m) => m.email },
      { key: "name", label: "Name", value: (m) => m.name, format: (m) => m.name ?? "—" },
      {
        key: "role",
        label: "Role",
        value: (m) => m.role,
        format: (m) => (
          <select
            className="select"
            aria-label={`Role of ${m.email}`}
            value={m.role}
            disabled={change.isPending}
            onChange={(e) => change.mutate({ id: m.user_id, role: e.target.value as Role })}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ),
      },
      { key: "since", label: "Member since", value: (m) => m.since, format: (m) => m.since.slice(0, 10) },
      actionsColumn<MemberRow>((m) => (
        <button
          type="button"
          className="btn btn-small"
          disabled={remove.isPending}
          onClick={() => window.confirm(`Remove ${m.email} from this workspace?${m.user_id === me ? " That is you." : ""}`) && remove.mutate(m.user_id)}
        >
          Remove
        </button>
      )),
    ],
  };

  function onInvite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setCreated(null);
    invite.mutate({ email: f.get("email"), name: f.get("name"), role: f.get("role") }, { onSuccess: () => form.reset() });
  }

  return (
    <div className={styles.stack}>
      <Card id="invite" title="Invite a user" description="A new account gets a one-time password, shown here once: hand it over safely. An e-mail that already has an account keeps its password.">
        {created ? (
          <OneTimeSecret testId="one-time-password" title={`${created.email} was added.`}>
            {created.password ? (
              <span>
                One-time password (shown once): <code>{created.password}</code>
              </span>
            ) : (
              <span>They already had an account and sign in with their current password.</span>
            )}
          </OneTimeSecret>
        ) : null}
        <form className={styles.form} onSubmit={onInvite} aria-label="Invite a user">
          <label>
            E-mail
            <input className="input" name="email" type="email" required maxLength={254} />
          </label>
          <label>
            Name
            <input className="input" name="name" maxLength={200} />
          </label>
          <label>
            Role
            <select className="select" name="role" defaultValue="marketer">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r} — {ROLE_HELP[r]}
                </option>
              ))}
            </select>
          </label>
          <FormActions label="Invite" pending={invite.isPending} error={invite.error} />
        </form>
      </Card>
      <Card
        id="members"
        title="Members"
        description="Roles take effect at the member's next request; removing someone ends their access to this workspace at once."
        actions={<TableCsv table={table} />}
      >
        {failure ? (
          <p className={styles.error} role="alert">
            {errorText(failure)}
          </p>
        ) : null}
        <DataTable table={table} rowKey={(m) => String(m.user_id)} testId="settings-users" />
      </Card>
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Card } from "@/app/_components/card";
import { DataTable, type TableData } from "@/app/_components/data-table";
import { formatDay } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import { EmptyState } from "@/app/_components/states";
import type { PasswordReset } from "@/lib/auth/account";
import type { Role } from "@/lib/auth/permissions";
import type { IssuedInvitation, MemberRow, PendingInvitation } from "@/lib/users";
import { errorText, settingsApi } from "../api";
import { actionsColumn, FormActions, OneTimeSecret, TableCsv } from "../parts";
import styles from "../settings.module.css";
import { CopyButton } from "./copy-button";

const ROLE_HELP: Record<Role, string> = {
  admin: "everything, including settings, users and keys",
  privacy: "data inventory, campaigns (create, approve, launch), events, audit log",
  marketer: "metrics and purposes",
  executive: "metrics",
};

type UsersState = { members: MemberRow[]; invitations: PendingInvitation[] };

/** A member as the confirmation and the result name them: "Mara Marketer (mara@…)", or the e-mail alone. */
const who = (m: MemberRow) => (m.name ? `${m.name} (${m.email})` : m.email);

export function UsersManager({ initial, roles, me }: { initial: UsersState; roles: Role[]; me: number }) {
  const client = useQueryClient();
  const f = useFormats();
  const { data: state } = useQuery({
    queryKey: ["settings-users"],
    queryFn: () => settingsApi<UsersState>("GET", "users"),
    initialData: initial,
  });
  const data = state.members;
  const [created, setCreated] = useState<IssuedInvitation | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["settings-users"] });
  const withdraw = useMutation({
    mutationFn: (email: string) => settingsApi("DELETE", "invitations", { email }),
    onSettled: refresh,
  });
  const invite = useMutation({
    mutationFn: (body: unknown) => settingsApi<IssuedInvitation>("POST", "users", body),
    onSuccess: async (c) => {
      setCreated(c);
      await refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({ id, role }: { id: number; role: Role }) => settingsApi("PATCH", `users/${id}`, { role }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: number) => settingsApi("DELETE", `users/${id}`),
    onSettled: refresh,
  });
  // A password reset: confirmed first (naming the person), then its one-time password shown this once.
  const [confirming, setConfirming] = useState<MemberRow | null>(null);
  const [resetDone, setResetDone] = useState<{ member: MemberRow; reset: PasswordReset } | null>(null);
  const resetPassword = useMutation({
    mutationFn: (m: MemberRow) => settingsApi<PasswordReset>("POST", `users/${m.user_id}/password`),
    onSuccess: (reset, m) => {
      setConfirming(null);
      setResetDone({ member: m, reset });
    },
  });
  const askReset = (m: MemberRow) => {
    resetPassword.reset();
    setResetDone(null);
    setConfirming(m);
  };
  const failure = change.error ?? remove.error ?? withdraw.error;

  const pending: TableData<PendingInvitation> = {
    filename: "invitations",
    rows: state.invitations,
    columns: [
      { key: "email", label: "E-mail", value: (i) => i.email },
      { key: "role", label: "Role", value: (i) => i.role },
      { key: "invited_by", label: "Invited by", value: (i) => i.invited_by },
      {
        key: "expires_at",
        label: "Expires",
        value: (i) => i.expires_at,
        format: (i) => formatDay(f, i.expires_at),
      },
      actionsColumn<PendingInvitation>((i) => (
        <button
          type="button"
          className="btn btn-small"
          disabled={withdraw.isPending}
          onClick={() => withdraw.mutate(i.email)}
        >
          Withdraw
        </button>
      )),
    ],
  };

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
      { key: "since", label: "Member since", value: (m) => m.since, format: (m) => formatDay(f, m.since) },
      actionsColumn<MemberRow>((m) => (
        <>
          {m.user_id === me ? null : (
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Reset the password of ${m.email}`}
              disabled={resetPassword.isPending}
              onClick={() => askReset(m)}
            >
              Reset password
            </button>
          )}{" "}
          <button
            type="button"
            className="btn btn-small"
            disabled={remove.isPending}
            onClick={() =>
              window.confirm(
                `Remove ${m.email} from this workspace?${m.user_id === me ? " That is you." : ""}`,
              ) && remove.mutate(m.user_id)
            }
          >
            Remove
          </button>
        </>
      )),
    ],
  };

  function onInvite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setCreated(null);
    invite.mutate(
      { email: f.get("email"), name: f.get("name"), role: f.get("role") },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <div className={styles.stack}>
      <Card
        id="invite"
        title="Invite a user"
        description={`Every invitation comes with a one-time password, shown here once and valid for 7 days: hand it over safely. The person joins when they sign in with it and choose their own password — or, if they already have a Trustledger account, when they sign in with their own password and accept the invitation on their Account page.`}
      >
        {created ? (
          <OneTimeSecret testId="one-time-password" title={`${created.email} is invited as ${created.role}.`}>
            <span>
              One-time password (shown once, expires {formatDay(f, created.expires_at)}):{" "}
              <code>{created.one_time_password}</code>
            </span>
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
        description="Changing a member's role, resetting their password or removing them ends their sessions at once: they sign in again (removed: without this workspace). Your own password you change on your Account page."
        actions={<TableCsv table={table} />}
      >
        {confirming ? (
          <div
            className={styles.secret}
            role="alertdialog"
            aria-labelledby="reset-password-title"
            aria-describedby="reset-password-what"
            data-testid="reset-password-confirm"
          >
            <strong id="reset-password-title">Reset the password of {who(confirming)}?</strong>
            <span id="reset-password-what">
              Their current password stops working and they are signed out everywhere at once. You get a
              one-time password to hand over safely; they must replace it with their own at their next
              sign-in.
            </span>
            <div className={styles.actions}>
              <button
                type="button"
                className="btn btn-primary"
                autoFocus
                disabled={resetPassword.isPending}
                onClick={() => resetPassword.mutate(confirming)}
              >
                Reset password
              </button>
              <button type="button" className="btn" onClick={() => setConfirming(null)}>
                Cancel
              </button>
              {resetPassword.error ? (
                <span className={styles.error} role="alert">
                  {errorText(resetPassword.error)}
                </span>
              ) : null}
            </div>
          </div>
        ) : null}
        {resetDone ? (
          <OneTimeSecret
            testId="reset-password"
            title={`The password of ${who(resetDone.member)} was reset.`}
          >
            <span>
              One-time password (shown once): <code>{resetDone.reset.one_time_password}</code>{" "}
              <CopyButton
                text={resetDone.reset.one_time_password}
                label={`Copy the one-time password of ${resetDone.member.email}`}
              />
            </span>
            <span>
              Hand it over safely: it must be replaced with a password of their own at their next sign-in.
              Their sessions were ended, so they are signed out everywhere.
            </span>
          </OneTimeSecret>
        ) : null}
        {failure ? (
          <p className={styles.error} role="alert">
            {errorText(failure)}
          </p>
        ) : null}
        <DataTable table={table} rowKey={(m) => String(m.user_id)} testId="settings-users" />
      </Card>
      <Card
        id="invitations"
        title="Pending invitations"
        description="Invitations not yet redeemed or accepted. Withdrawing one makes its one-time password useless."
        actions={<TableCsv table={pending} />}
      >
        {state.invitations.length ? (
          <DataTable table={pending} rowKey={(i) => i.email} testId="settings-invitations" />
        ) : (
          <EmptyState title="No invitation is waiting.">
            Invite someone above; their invitation shows here until it is accepted.
          </EmptyState>
        )}
      </Card>
    </div>
  );
}

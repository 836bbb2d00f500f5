"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Card } from "@/app/_components/card";
import type { InvitationForMe } from "@/lib/users";
import { errorText } from "../settings/api";
import { FormActions } from "../settings/parts";
import styles from "../settings/settings.module.css";

async function accountApi<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/account/${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const payload = (await res.json().catch(() => null)) as { message?: string } | null;
  if (!res.ok) throw new Error(payload?.message ?? `request failed (${res.status})`);
  return payload as T;
}

export function AccountView({
  email,
  initialInvitations,
}: {
  email: string;
  initialInvitations: InvitationForMe[];
}) {
  const client = useQueryClient();
  const { data: invitations } = useQuery({
    queryKey: ["account-invitations"],
    queryFn: async () =>
      (await accountApi<{ invitations: InvitationForMe[] }>("GET", "invitations")).invitations,
    initialData: initialInvitations,
  });
  const [mismatch, setMismatch] = useState<string | null>(null);
  const answer = useMutation({
    mutationFn: (body: { workspace: string; accept: boolean; one_time_password?: string }) =>
      accountApi("POST", "invitations", body),
    onSuccess: async (_r, body) => {
      // A new workspace appears in the switcher after a reload of the layout.
      if (body.accept) window.location.reload();
      else await client.invalidateQueries({ queryKey: ["account-invitations"] });
    },
  });
  const change = useMutation({
    mutationFn: (body: unknown) => accountApi("POST", "password", body),
    onSuccess: () => signOut({ callbackUrl: "/signin?error=PasswordChanged" }),
  });

  function onChange(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    if (f.get("new_password") !== f.get("new_password_again")) {
      setMismatch("The two new passwords differ.");
      return;
    }
    setMismatch(null);
    change.mutate({ current_password: f.get("current_password"), new_password: f.get("new_password") });
  }

  return (
    <div className={styles.stack}>
      <h1>Account</h1>
      <Card
        id="password"
        title="Change your password"
        description={`Signed in as ${email}. Changing the password ends every session of this account, this one included.`}
      >
        <form className={styles.form} onSubmit={onChange} aria-label="Change your password">
          <label>
            Current password
            <input
              className="input"
              name="current_password"
              type="password"
              autoComplete="current-password"
              required
            />
          </label>
          <label>
            New password (at least 12 characters)
            <input
              className="input"
              name="new_password"
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
            />
          </label>
          <label>
            New password again
            <input
              className="input"
              name="new_password_again"
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
            />
          </label>
          <FormActions
            label="Change password"
            pending={change.isPending}
            error={mismatch ? new Error(mismatch) : change.error}
          />
        </form>
      </Card>
      <Card
        id="invitations"
        title="Invitations"
        description="Workspaces that invited this e-mail address. You join one by accepting it here with the one-time password its admin gave you."
      >
        {answer.error ? (
          <p className={styles.error} role="alert">
            {errorText(answer.error)}
          </p>
        ) : null}
        {invitations.length === 0 ? (
          <p>No open invitations.</p>
        ) : (
          <ul data-testid="account-invitations">
            {invitations.map((i) => (
              <li key={i.workspace}>
                <strong>{i.workspace_name}</strong> as {i.role}, invited by {i.invited_by} (until{" "}
                {i.expires_at.slice(0, 10)}){" "}
                <form
                  style={{ display: "inline" }}
                  onSubmit={(e) => {
                    e.preventDefault();
                    const code = String(new FormData(e.currentTarget).get("one_time_password") ?? "");
                    answer.mutate({ workspace: i.workspace, accept: true, one_time_password: code });
                  }}
                >
                  <input
                    className="input"
                    name="one_time_password"
                    aria-label={`One-time password of the invitation into ${i.workspace_name}`}
                    placeholder="One-time password"
                    autoComplete="off"
                    required
                  />{" "}
                  <button type="submit" className="btn btn-small btn-primary" disabled={answer.isPending}>
                    Accept
                  </button>
                </form>{" "}
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={answer.isPending}
                  onClick={() => answer.mutate({ workspace: i.workspace, accept: false })}
                >
                  Decline
                </button>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

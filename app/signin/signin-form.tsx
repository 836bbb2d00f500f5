"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import styles from "./signin.module.css";
import { PASSWORD_CHANGE_REQUIRED, signInMessage } from "./messages";

interface Props {
  callbackPath: string;
  initialError: string | null;
  oidcName: string | null;
}

export function SignInForm({ callbackPath, initialError, oidcName }: Props) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);
  // A one-time password was right: the same form now also asks for the user's own password.
  const [choosing, setChoosing] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (choosing && form.get("new_password") !== form.get("new_password_again")) {
      setError("The two new passwords differ.");
      return;
    }
    setPending(true);
    setError(null);
    const res = await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      ...(choosing ? { new_password: form.get("new_password") } : {}),
      redirect: false,
      callbackUrl: callbackPath,
    });
    if (!res?.ok || res.error) {
      if (res?.error === PASSWORD_CHANGE_REQUIRED) setChoosing(true);
      setError(signInMessage(res?.error ?? "CredentialsSignin"));
      setPending(false);
      return;
    }
    window.location.assign(callbackPath);
  }

  return (
    <>
      <form className={styles.form} onSubmit={onSubmit} noValidate>
        <label className={styles.label}>
          E-mail
          <input
            className={styles.input}
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
          />
        </label>
        <label className={styles.label}>
          Password
          <input
            className={styles.input}
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
        </label>
        {choosing ? (
          <>
            <label className={styles.label}>
              New password (at least 12 characters)
              <input
                className={styles.input}
                name="new_password"
                type="password"
                autoComplete="new-password"
                minLength={12}
                required
                autoFocus
              />
            </label>
            <label className={styles.label}>
              New password again
              <input
                className={styles.input}
                name="new_password_again"
                type="password"
                autoComplete="new-password"
                minLength={12}
                required
              />
            </label>
          </>
        ) : null}
        {error ? (
          <p className={styles.error} role="alert" data-testid="signin-error">
            {error}
          </p>
        ) : null}
        <button className={styles.primary} type="submit" disabled={pending} aria-busy={pending || undefined}>
          {pending ? (
            <>
              <span className={styles.spinner} aria-hidden="true" data-signin-spinner />
              Signing in…
            </>
          ) : choosing ? (
            "Set password and sign in"
          ) : (
            "Sign in"
          )}
        </button>
      </form>
      {oidcName ? (
        <button
          className={styles.secondary}
          type="button"
          onClick={() => signIn("oidc", { callbackUrl: callbackPath })}
        >
          Sign in with {oidcName}
        </button>
      ) : null}
    </>
  );
}

"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import styles from "./signin.module.css";
import { signInMessage } from "./messages";

interface Props {
  callbackPath: string;
  initialError: string | null;
  oidcName: string | null;
}

export function SignInForm({ callbackPath, initialError, oidcName }: Props) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false, callbackUrl: callbackPath });
    if (!res?.ok || res.error) {
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
          <input className={styles.input} name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label className={styles.label}>
          Password
          <input className={styles.input} name="password" type="password" autoComplete="current-password" required />
        </label>
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
          ) : (
            "Sign in"
          )}
        </button>
      </form>
      {oidcName ? (
        <button className={styles.secondary} type="button" onClick={() => signIn("oidc", { callbackUrl: callbackPath })}>
          Sign in with {oidcName}
        </button>
      ) : null}
    </>
  );
}

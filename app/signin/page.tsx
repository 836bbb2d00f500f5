import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { oidcProvider } from "@/lib/auth/options";
import { getMember } from "@/lib/auth/session";
import { safeCallbackPath, signInMessage } from "./messages";
import { SignInForm } from "./signin-form";
import styles from "./signin.module.css";

export const metadata: Metadata = { title: "Sign in · Trustledger" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; callbackUrl?: string }>;
}) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl);
  if (await getMember()) redirect(callbackPath);
  return (
    <main className={styles.page}>
      <section className={styles.card} aria-labelledby="signin-title">
        <p className={styles.brand}>
          <span className={styles.mark} aria-hidden="true" />
          Trustledger
        </p>
        <p className={styles.tagline}>
          Consent and trust analytics: what customers agree to, what they get back, and whether they stay.
        </p>
        <h1 id="signin-title" className={styles.title}>
          Sign in
        </h1>
        <SignInForm
          callbackPath={callbackPath}
          initialError={signInMessage(params.error)}
          oidcName={oidcProvider()?.name ?? null}
        />
        <details className={styles.help} data-forgot-password>
          <summary>Forgot your password?</summary>
          <p>
            Trustledger sends no e-mail: ask an admin of your workspace (the people who invited you). They can
            reset your password in Settings › Users &amp; roles and give you a one-time password; sign in with
            it and choose a new password of your own.
          </p>
          <p>
            If you belong to more than one workspace, or no admin can do it, the operator of this installation
            resets it with <code>tl user reset-password --email &lt;your e-mail&gt;</code>.
          </p>
        </details>
      </section>
    </main>
  );
}

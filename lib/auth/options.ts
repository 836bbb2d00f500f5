import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { log } from "@/lib/log";
import { getDb } from "@/lib/server/database";
import { findUserByEmail, userWorkspaceIds } from "@/lib/users";
import { clientIp } from "./request";
import { authSecret, secureCookies, SESSION_MAX_AGE_SECONDS } from "./secret";
import { signOut } from "./account";
import { auditSignIn, signInWithPassword } from "./signin";

interface OidcProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** The OpenID Connect provider, when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set. */
export function oidcProvider(): OAuthConfig<OidcProfile> | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = process.env;
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    id: "oidc",
    name: process.env.OIDC_NAME ?? "Single sign-on",
    type: "oauth",
    wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    idToken: true,
    checks: ["pkce", "state"],
    authorization: { params: { scope: "openid email profile" } },
    profile: (p) => ({ id: p.sub, email: p.email?.toLowerCase() ?? null, name: p.name ?? null }),
  };
}

export function authOptions(): AuthOptions {
  const oidc = oidcProvider();
  return {
    secret: authSecret(),
    useSecureCookies: secureCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    // next-auth's own logger prints whole error objects; keep to the code and the message.
    logger: {
      error: (code, meta) =>
        log("error", "auth error", {
          code,
          message: meta instanceof Error ? meta.message : (meta as { error?: Error })?.error?.message,
        }),
      warn: (code) => log("warn", "auth warning", { code }),
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "E-mail and password",
        credentials: {
          email: { label: "E-mail", type: "email" },
          password: { label: "Password", type: "password" },
          new_password: { label: "New password", type: "password" },
        },
        async authorize(credentials, req) {
          const user = await signInWithPassword(
            await getDb(),
            credentials ?? {},
            clientIp(req.headers ?? {}),
          );
          return user
            ? { id: String(user.id), email: user.email, name: user.name, sv: user.sessionVersion }
            : null;
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      // An OIDC identity signs in only as an existing user with the same (verified) e-mail who belongs to a workspace.
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const db = await getDb();
        const email = user.email?.toLowerCase() ?? "";
        const verified = (profile as OidcProfile | undefined)?.email_verified !== false;
        const known = email && verified ? await findUserByEmail(db, email) : undefined;
        const member = known && (await userWorkspaceIds(db, known.id)).length > 0;
        await auditSignIn(
          db,
          member ? known.id : null,
          email || "(no e-mail)",
          member ? "auth.sign_in" : "auth.sign_in_failed",
          null,
          {
            method: "oidc",
            ...(member
              ? {}
              : { reason: !verified ? "email_not_verified" : known ? "no_workspace" : "unknown_user" }),
          },
        );
        return member ? true : "/signin?error=NotInvited";
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          if (account.provider === "oidc") {
            const known = await findUserByEmail(await getDb(), user.email ?? "");
            if (known) Object.assign(token, { uid: known.id, sv: known.sessionVersion });
          } else {
            Object.assign(token, { uid: Number(user.id), sv: Number((user as { sv?: number }).sv ?? 0) });
          }
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid } };
      },
    },
    events: {
      async signOut({ token }) {
        const uid = Number(token?.uid);
        if (uid && token?.email) await signOut(await getDb(), uid, Number(token.sv ?? 0), token.email, null);
      },
    },
  };
}

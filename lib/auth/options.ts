import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { userForOAuth, verifyCredentials } from "@/lib/users/accounts";
import { safeCallback } from "@/lib/security/callback";
import { clientIp } from "@/lib/security/request";
import { createSession, endSession, SESSION_SECONDS } from "./sessions";
import { findTextFault } from "@/lib/text";

/** Which sign-in methods are on: email + password always; OAuth/OIDC when configured. */
export function oauthProviders(): { id: string; name: string }[] {
  const e = env();
  return [
    ...(e.GITHUB_ID && e.GITHUB_SECRET ? [{ id: "github", name: "GitHub" }] : []),
    ...(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET ? [{ id: "oidc", name: e.OIDC_NAME }] : []),
  ];
}

/** What the sign-in route knows of the request that next-auth's callbacks do not see. */
export type AuthRequestContext = { userAgent?: string };

/**
 * next-auth configuration. Sessions are signed, encrypted JWTs that carry the
 * id of a row in `sessions`; every request checks that row and loads the user
 * (lib/auth/session.ts), so signing out, a block or a changed role takes
 * effect at once, and a copied cookie stops working when its session ends.
 */
export function authOptions(context: AuthRequestContext = {}): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = typeof credentials?.email === "string" ? credentials.email : "";
        const password = typeof credentials?.password === "string" ? credentials.password : "";
        // The one text rule of every edge: controls or broken characters are never an email or a password.
        if (findTextFault(email) || findTextFault(password) || email.length > 1000 || password.length > 4096) throw new Error("Email or password is wrong.");
        let user: Awaited<ReturnType<typeof verifyCredentials>>;
        try {
          user = await verifyCredentials(getDb(), { email, password, ip: clientIp(new Headers(req.headers as Record<string, string>)) });
        } catch (error) {
          if (error instanceof AppError) throw new Error(error.message, { cause: error });
          // next-auth puts an error's message in the URL: never an internal one.
          console.error(error);
          throw new Error("Signing in failed on the server; please try again.", { cause: error });
        }
        if (!user) throw new Error("Email or password is wrong.");
        if (user.blockedAt) throw new Error("Your account is blocked.");
        // The session epoch read with the password hash: a password changed after this check ends this session too.
        return { id: user.id, name: user.name, email: user.email, epoch: user.sessionEpoch };
      },
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET) providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: e.OIDC_NAME,
      type: "oauth",
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
      profile(profile: { sub: string; name?: string; preferred_username?: string; email?: string; picture?: string }) {
        return { id: profile.sub, name: profile.name ?? profile.preferred_username ?? null, email: profile.email ?? null, image: profile.picture ?? null };
      },
    });
  }
  return {
    secret: e.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      // A tampered or stale cookie is an anonymous visitor, not a server error.
      error(code, metadata) {
        if (code === "JWT_SESSION_ERROR") return;
        console.error(`[next-auth] ${code}`, metadata);
      },
      warn(code) {
        if (code !== "NEXTAUTH_URL") console.warn(`[next-auth] ${code}`);
      },
      debug() {},
    },
    providers,
    events: {
      // Signing out ends the session on the server: the cookie, wherever it was copied to, is worthless from now on.
      async signOut({ token }) {
        const sid = (token as { sid?: unknown } | null)?.sid;
        if (typeof sid === "string" && sid.length > 0) await endSession(getDb(), sid);
      },
    },
    callbacks: {
      // Every redirect next-auth makes stays on this site (lib/security/callback.ts).
      redirect({ url, baseUrl }) {
        return new URL(safeCallback(url, baseUrl), baseUrl).toString();
      },
      async jwt({ token, user, account, profile }) {
        if (account && account.provider !== "credentials" && user) {
          const local = await userForOAuth(getDb(), {
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            type: account.type,
            name: user.name,
            email: user.email,
            image: user.image,
            // OIDC says whether the issuer verified the email; GitHub's profile does not, so it never counts as verified here.
            emailVerified: account.provider === "oidc" && (profile as { email_verified?: unknown } | undefined)?.email_verified === true,
          });
          token.sub = local.id;
          token.name = local.name;
          token.epoch = local.sessionEpoch;
          token.sid = await createSession(getDb(), local.id, context.userAgent ?? "");
        } else if (user) {
          token.sub = user.id;
          token.epoch = (user as { epoch?: number }).epoch ?? 0;
          token.sid = await createSession(getDb(), user.id, context.userAgent ?? "");
        }
        return token;
      },
      async session({ session, token }) {
        return {
          ...session,
          user: { ...session.user, id: token.sub, epoch: typeof token.epoch === "number" ? token.epoch : 0, sid: typeof token.sid === "string" ? token.sid : undefined },
        };
      },
    },
  };
}

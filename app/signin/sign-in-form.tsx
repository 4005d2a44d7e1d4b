"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

/** Email and password through next-auth (with its CSRF token), plus any OAuth providers. */
export function SignInForm({ callbackUrl, providers, initialError }: { callbackUrl: string; providers: { id: string; name: string }[]; initialError?: string }) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);
  return (
    <>
      <form
        className="form"
        onSubmit={async (event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setPending(true);
          setError(undefined);
          const result = await signIn("credentials", { email: data.get("email"), password: data.get("password"), redirect: false });
          setPending(false);
          if (!result || result.error) {
            setError(result?.error === "CredentialsSignin" ? "Email or password is wrong." : (result?.error ?? "Sign-in failed."));
            return;
          }
          window.location.assign(callbackUrl);
        }}
      >
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required maxLength={254} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required maxLength={1024} />
        </label>
        <button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {providers.length > 0 ? (
        <div className="oauth-buttons">
          {providers.map((p) => (
            <button key={p.id} type="button" onClick={() => signIn(p.id, { callbackUrl })}>
              Sign in with {p.name}
            </button>
          ))}
        </div>
      ) : null}
    </>
  );
}

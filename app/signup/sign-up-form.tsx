"use client";

import { signIn } from "next-auth/react";
import { useActionState, useEffect, useRef } from "react";
import { FormStatus } from "../_components/form-status";
import { signUpAction } from "./actions";

export function SignUpForm() {
  const [state, action, pending] = useActionState(signUpAction, {});
  // React resets the form after the action, so keep what is needed to sign in.
  const credentials = useRef({ email: "", password: "" });
  useEffect(() => {
    if (!state.ok) return;
    void signIn("credentials", { ...credentials.current, redirect: false }).then((result) => {
      window.location.assign(result?.ok ? "/" : "/signin");
    });
  }, [state.ok]);
  return (
    <form
      action={action}
      className="form"
      onSubmit={(e) => {
        const data = new FormData(e.currentTarget);
        credentials.current = { email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") };
      }}
    >
      <FormStatus state={state} okSuffix="Signing you in…" />
      <label>
        Display name
        <input name="name" required minLength={2} maxLength={40} autoComplete="username" defaultValue={state.fields?.name} />
        <span className="hint">Shown beside your edits and posts.</span>
      </label>
      <label>
        Email
        <input name="email" type="email" required maxLength={254} autoComplete="email" defaultValue={state.fields?.email} />
      </label>
      <label>
        Password
        <input name="password" type="password" required minLength={10} maxLength={128} autoComplete="new-password" />
        <span className="hint">At least 10 characters; not a common password.</span>
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}

"use client";

import { useFormAction } from "../_components/use-form-action";
import { signIn } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { FormStatus } from "../_components/form-status";
import { signUpAction } from "./actions";

/**
 * Sign-up answers the same for a new and a known email. Afterwards the form
 * signs in with what was typed: that works for a new account (and for the
 * owner of a known email who typed their own password), and otherwise the
 * page stays on the same answer, "Check your email to finish".
 */
export function SignUpForm() {
  const [state, action, pending] = useFormAction(signUpAction, {});
  const [finishing, setFinishing] = useState(false);
  // React resets the form after the action, so keep what is needed to sign in.
  const credentials = useRef({ email: "", password: "" });
  useEffect(() => {
    if (!state.ok) return;
    setFinishing(true);
    void signIn("credentials", { ...credentials.current, redirect: false }).then((result) => {
      credentials.current = { email: "", password: "" };
      if (result?.ok) window.location.assign("/");
      else setFinishing(false);
    });
  }, [state]);
  if (state.ok) {
    return (
      <div role="status" className="form-ok">
        <p>{state.message}</p>
        <p>
          {finishing
            ? "One moment…"
            : "If the address already has an account, nothing was changed and we mailed its owner: sign in with its password, or use \"Forgot password?\" on the sign-in page. A new account gets a link to confirm its address."}
        </p>
      </div>
    );
  }
  return (
    <form
      action={action}
      className="form"
      onSubmit={(e) => {
        const data = new FormData(e.currentTarget);
        credentials.current = { email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") };
      }}
    >
      <FormStatus state={state} />
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

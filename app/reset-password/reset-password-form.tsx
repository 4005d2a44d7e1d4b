"use client";

import Link from "next/link";
import { useFormAction } from "../_components/use-form-action";
import { FormStatus } from "../_components/form-status";
import { resetPasswordAction } from "./actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useFormAction(resetPasswordAction, {});
  if (state.ok) {
    return (
      <>
        <FormStatus state={state} />
        <p>
          <Link href="/signin">Sign in</Link>
        </p>
      </>
    );
  }
  return (
    <form action={action} className="form">
      <FormStatus state={state} />
      <input type="hidden" name="token" value={token} />
      <label>
        New password
        <input name="password" type="password" required minLength={10} maxLength={128} autoComplete="new-password" />
        <span className="hint">At least 10 characters; not a common password.</span>
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}

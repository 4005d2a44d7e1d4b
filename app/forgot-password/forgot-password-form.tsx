"use client";

import { useFormAction } from "../_components/use-form-action";
import { FormStatus } from "../_components/form-status";
import { requestPasswordResetAction } from "./actions";

export function ForgotPasswordForm() {
  const [state, action, pending] = useFormAction(requestPasswordResetAction, {});
  if (state.ok) return <FormStatus state={state} />;
  return (
    <form action={action} className="form">
      <FormStatus state={state} />
      <label>
        Email
        <input name="email" type="email" required maxLength={254} autoComplete="email" defaultValue={state.fields?.email} />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Sending…" : "Send me a reset link"}
      </button>
    </form>
  );
}

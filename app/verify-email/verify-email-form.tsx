"use client";

import { useFormAction } from "../_components/use-form-action";
import { FormStatus } from "../_components/form-status";
import { verifyEmailAction } from "./actions";

/** A button rather than a link that acts: mail scanners follow links, and a GET changes nothing. */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, action, pending] = useFormAction(verifyEmailAction, {});
  if (state.ok) return <FormStatus state={state} />;
  return (
    <form action={action} className="form">
      <FormStatus state={state} />
      <input type="hidden" name="token" value={token} />
      <button type="submit" disabled={pending}>
        {pending ? "Confirming…" : "Confirm my address"}
      </button>
    </form>
  );
}

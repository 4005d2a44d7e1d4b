"use client";

import { useFormAction } from "../_components/use-form-action";
import { FormStatus } from "../_components/form-status";
import { unsubscribeAction } from "./actions";

export function UnsubscribeForm({ user, token }: { user: string; token: string }) {
  const [state, action, pending] = useFormAction(unsubscribeAction, {});
  if (state.ok) return <FormStatus state={state} />;
  return (
    <form action={action} className="form">
      <FormStatus state={state} />
      <input type="hidden" name="user" value={user} />
      <input type="hidden" name="token" value={token} />
      <button type="submit" disabled={pending}>
        Stop notification mail
      </button>
    </form>
  );
}

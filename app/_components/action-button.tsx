"use client";

import { useActionState, useEffect } from "react";
import type { FormState } from "@/lib/auth/action";
import { FormStatus } from "./form-status";

/**
 * A one-button form for a server action, with hidden fields; shows the
 * outcome, and follows `data.href` after a success.
 */
export function ActionButton({
  action,
  fields,
  label,
  confirm,
  className,
}: {
  action: (state: FormState, data: FormData) => Promise<FormState>;
  fields: Record<string, string | number>;
  label: string;
  confirm?: string;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  useEffect(() => {
    if (state.ok && typeof state.data?.href === "string") window.location.assign(state.data.href);
  }, [state]);
  return (
    <form
      action={formAction}
      className={`inline-form ${className ?? ""}`}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" disabled={pending}>
        {label}
      </button>
      <FormStatus state={state} />
    </form>
  );
}

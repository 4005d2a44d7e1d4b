"use client";

import { useFormAction } from "./use-form-action";
import { useEffect } from "react";
import type { FormState } from "@/lib/edge/form-state";
import { FormStatus } from "./form-status";

/**
 * A one-button form for a server action, with hidden fields; shows the
 * outcome, and follows `data.href` after a success.
 */
export function ActionButton<D>({
  action,
  fields,
  label,
  confirm,
  className,
}: {
  action: (state: FormState<D>, data: FormData) => Promise<FormState<D>>;
  fields: Record<string, string | number>;
  label: string;
  confirm?: string;
  className?: string;
}) {
  const [state, formAction, pending] = useFormAction(action, {});
  useEffect(() => {
    const href = linkOf(state.data);
    if (state.ok && href) window.location.assign(href);
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

/** The page an action's result points to, when it has one. */
function linkOf(data: unknown): string | undefined {
  return typeof data === "object" && data !== null && "href" in data && typeof data.href === "string" ? data.href : undefined;
}

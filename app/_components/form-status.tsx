import type { FormState } from "@/lib/edge/form-state";

/** The outcome of a form action: an error (alert) or a success message (status). */
export function FormStatus({ state, okSuffix }: { state: FormState<unknown>; okSuffix?: string }) {
  if (state.error)
    return (
      <p className="form-error" role="alert">
        {state.error}
      </p>
    );
  if (state.ok && state.message)
    return (
      <p className="form-ok" role="status">
        {state.message}
        {okSuffix ? ` ${okSuffix}` : null}
      </p>
    );
  return null;
}

"use client";

import { useActionState } from "react";
import { FormStatus } from "../../_components/form-status";
import { rateAction } from "./actions";

/** Rate 1–5; signed-in readers only (the action checks), once per page, changeable. */
export function RateForm({ slug }: { slug: string }) {
  const [state, action, pending] = useActionState(rateAction, {});
  return (
    <form action={action} className="rate-form">
      <input type="hidden" name="slug" value={slug} />
      <fieldset disabled={pending}>
        <legend>Your rating</legend>
        {[1, 2, 3, 4, 5].map((v) => (
          <button key={v} type="submit" name="value" value={v} aria-label={`Rate ${v} out of 5`}>
            {v}
          </button>
        ))}
      </fieldset>
      <FormStatus state={state} />
    </form>
  );
}

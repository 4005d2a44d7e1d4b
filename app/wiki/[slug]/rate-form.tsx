"use client";

import { useFormAction } from "../../_components/use-form-action";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { FormStatus } from "../../_components/form-status";
import { useMe } from "../../_components/use-me";
import { rateAction } from "./actions";

/** Rate 1–5; signed-in readers only (the action checks), once per page, changeable. Guests are asked to sign in first. */
export function RateForm({ slug }: { slug: string }) {
  const [state, action, pending] = useFormAction(rateAction, {});
  const me = useMe();
  const pathname = usePathname();
  if (me === null) return null;
  // A blocked member sees the form, and is told why a rating is refused.
  if (!me.user && !me.blocked)
    return (
      <p className="hint">
        <Link href={`/signin?callbackUrl=${encodeURIComponent(pathname)}`}>Sign in</Link> to rate this page.
      </p>
    );
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

"use client";

import { useFormAction } from "../../../_components/use-form-action";
import { subscribeAction } from "./actions";

/** Follow or stop following a thread, or the whole talk page. */
export function FollowButton({ slug, threadId, following, label }: { slug: string; threadId?: number; following: boolean; label: string }) {
  const [state, action, pending] = useFormAction(subscribeAction, {});
  const now = typeof state.data?.following === "boolean" ? state.data.following : following;
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="threadId" value={threadId ?? ""} />
      <input type="hidden" name="follow" value={now ? "false" : "true"} />
      <button type="submit" disabled={pending} aria-pressed={now}>
        {now ? `Following ${label}` : `Follow ${label}`}
      </button>
      {state.error ? <span role="alert"> {state.error}</span> : null}
    </form>
  );
}

"use client";

import { useFormAction } from "../../../_components/use-form-action";
import { useEffect, useState } from "react";
import type { FormState } from "@/lib/edge/form-state";
import type { PostData } from "./actions";
import { FormStatus } from "../../../_components/form-status";
import { newThreadAction, replyAction } from "./actions";

type Me = { user: { name: string } | null; blocked: boolean; formToken?: string };

function useMe(): Me | null {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    // ?form=talk: a form token bound to this member or guest cookie (set now for a guest who has none).
    fetch("/api/me?form=talk", { cache: "no-store" })
      .then((r) => r.json() as Promise<Me>)
      .then(setMe)
      .catch(() => setMe({ user: null, blocked: false }));
  }, []);
  return me;
}

/** Fields every post form carries: guest identity when signed out, a honeypot and when the form was opened (signed by the server). */
function PostFields({ me, idPrefix }: { me: Me | null; idPrefix: string }) {
  // Controlled, so a refused post (rate limit, bad website) keeps what the guest typed.
  const [guestName, setGuestName] = useState("");
  const [guestUrl, setGuestUrl] = useState("");
  return (
    <>
      {me && !me.user ? (
        <div className="guest-fields">
          <label>
            Your name
            <input name="guestName" required maxLength={60} autoComplete="name" value={guestName} onChange={(e) => setGuestName(e.target.value)} />
          </label>
          <label>
            Website <span className="hint">(optional)</span>
            <input
              name="guestUrl"
              type="url"
              maxLength={300}
              placeholder="https://"
              autoComplete="url"
              value={guestUrl}
              onChange={(e) => setGuestUrl(e.target.value)}
            />
          </label>
        </div>
      ) : null}
      {/* Left empty by people; bots that fill every field are held. */}
      <div className="hp" aria-hidden="true">
        <label htmlFor={`${idPrefix}-website`}>Leave this empty</label>
        <input id={`${idPrefix}-website`} name="website" tabIndex={-1} autoComplete="off" />
      </div>
      <input type="hidden" name="formToken" value={me?.formToken ?? ""} />
    </>
  );
}

/** A post's text, kept across a refused submit (React resets uncontrolled fields) and cleared once it was accepted. */
function useText(state: FormState<unknown>): [string, (value: string) => void] {
  const [text, setText] = useState("");
  useEffect(() => {
    if (state.ok) setText("");
  }, [state]);
  return [text, setText];
}

function useFollow(state: FormState<PostData>) {
  useEffect(() => {
    if (state.ok && typeof state.data?.href === "string") window.location.assign(state.data.href);
  }, [state]);
}

/** The passage a new thread is about, as the page's script read it from the reader's selection. */
export type ThreadAnchorFields = { exact: string; prefix: string; suffix: string; start: number; end: number; revisionId: number };

export function NewThreadForm({ slug, anchor }: { slug: string; anchor?: ThreadAnchorFields }) {
  const me = useMe();
  const [state, action, pending] = useFormAction(newThreadAction, {});
  const [title, setTitle] = useText(state);
  const [body, setBody] = useText(state);
  useFollow(state);
  return (
    <form action={action} className="form talk-form" aria-label={anchor ? "Start a thread about this passage" : "Start a new thread"}>
      <input type="hidden" name="slug" value={slug} />
      {anchor ? (
        <>
          <input type="hidden" name="anchorExact" value={anchor.exact} />
          <input type="hidden" name="anchorPrefix" value={anchor.prefix} />
          <input type="hidden" name="anchorSuffix" value={anchor.suffix} />
          <input type="hidden" name="anchorStart" value={anchor.start} />
          <input type="hidden" name="anchorEnd" value={anchor.end} />
          <input type="hidden" name="anchorRevision" value={anchor.revisionId} />
        </>
      ) : null}
      <label>
        Thread title
        <input name="title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Your post
        <textarea name="body" required rows={6} maxLength={20000} value={body} onChange={(e) => setBody(e.target.value)} />
        <span className="hint">
          Plain text; blank lines make paragraphs. Allowed tags: &lt;a href title&gt; &lt;abbr title&gt; &lt;acronym title&gt; &lt;b&gt; &lt;blockquote
          cite&gt; &lt;cite&gt; &lt;code&gt; &lt;del datetime&gt; &lt;em&gt; &lt;i&gt; &lt;q cite&gt; &lt;strike&gt; &lt;strong&gt;
        </span>
      </label>
      <PostFields me={me} idPrefix={anchor ? "passage" : "new"} />
      <FormStatus state={state} />
      <button type="submit" disabled={pending || me?.blocked}>
        Start thread
      </button>
    </form>
  );
}

export function ReplyForm({ slug, threadId, parentPostId }: { slug: string; threadId: number; parentPostId?: number }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useFormAction(replyAction, {});
  const [body, setBody] = useText(state);
  useFollow(state);
  // A reply that was accepted closes its form; what happened to it stays beside the Reply button.
  useEffect(() => {
    if (state.ok) setOpen(false);
  }, [state]);
  if (!open) {
    return (
      <>
        <button type="button" className="link-button reply-toggle" onClick={() => setOpen(true)}>
          Reply
        </button>
        {state.ok ? <FormStatus state={state} /> : null}
      </>
    );
  }
  return (
    <form action={action} className="form talk-form reply-form" aria-label="Reply">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="threadId" value={threadId} />
      <input type="hidden" name="parentPostId" value={parentPostId ?? ""} />
      <label>
        Your reply
        <textarea name="body" required rows={4} maxLength={20000} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <PostFields me={me} idPrefix={`reply-${threadId}-${parentPostId ?? 0}`} />
      <FormStatus state={state} />
      <button type="submit" disabled={pending || me?.blocked}>
        Post reply
      </button>
    </form>
  );
}

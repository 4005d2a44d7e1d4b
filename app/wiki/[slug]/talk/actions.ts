"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { pagePath } from "@/lib/wikitext/title";
import { editPostCommand } from "@/lib/commands/talk/edit-post";
import { followDiscussionCommand } from "@/lib/commands/talk/follow-discussion";
import type { PostResult } from "@/lib/commands/talk/post-fields";
import { replyToThreadCommand } from "@/lib/commands/talk/reply-to-thread";
import { setThreadStatusCommand } from "@/lib/commands/talk/set-thread-status";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { rememberGuest } from "@/lib/talk/viewer";

export type PostData = { postId: number; status: "visible" | "held"; href?: string };
export type ThreadData = { href: string };
export type FollowData = { following: boolean };

async function posted(result: PostResult): Promise<FormState<PostData>> {
  if (result.guestToken) await rememberGuest(result.guestToken);
  return result.status === "held"
    ? { ok: true, message: `Your post is held for a moderator to look at (${result.reasons.join("; ")}). You can see it; others will once it is approved.`, data: { postId: result.postId, status: "held" } }
    : { ok: true, message: "Posted.", data: { postId: result.postId, status: "visible", href: `${pagePath(result.slug, `/talk/${result.threadId}`)}#post-${result.postId}` } };
}

export const newThreadAction = formAction(startThreadCommand, {
  // The form names the page `slug` and the thread's title `title`; a thread about a passage carries its W3C target flat.
  input: ({ slug, title, anchorExact, anchorPrefix, anchorSuffix, anchorStart, anchorEnd, anchorRevision, ...rest }) => ({
    ...rest,
    title: slug,
    threadTitle: title,
    ...(anchorExact !== undefined
      ? {
          target: {
            selector: [
              { type: "TextQuoteSelector", exact: anchorExact, prefix: anchorPrefix ?? "", suffix: anchorSuffix ?? "" },
              { type: "TextPositionSelector", start: anchorStart, end: anchorEnd },
            ],
            revisionId: anchorRevision,
          },
        }
      : {}),
  }),
  present: posted,
});

export const replyAction = formAction(replyToThreadCommand, { present: posted });

export const editPostAction = formAction(editPostCommand, {
  present: (): FormState => ({ ok: true, message: "Your post was updated; the earlier version is kept." }),
});

export const threadStatusAction = formAction(setThreadStatusCommand, {
  present: (r): FormState<ThreadData> => ({ ok: true, message: `The thread is now ${r.status}.`, data: { href: pagePath(r.slug, `/talk/${r.threadId}`) } }),
});

export const subscribeAction = formAction(followDiscussionCommand, {
  present: (r): FormState<FollowData> => ({ ok: true, message: r.following ? "You will be notified of new posts." : "You will no longer be notified.", data: { following: r.following } }),
});

import "server-only";
import { z } from "zod";
import { defineCommand } from "@/lib/commands/command";
import { createThread } from "@/lib/talk/post-store";
import { anchorRevision, prepareAnchor } from "@/lib/wiki/anchor-store";
import { anchorTargetField, discussedPage, postAuthor, postFields, postMeta, postResult, threadTitleField, type PostResult } from "./post-fields";

/**
 * Start a thread on a page's discussion with its first post (held for a moderator when it looks like spam),
 * optionally about a passage of the page (`target`: the quote and where it is on a revision).
 */
export const startThreadCommand = defineCommand({
  name: "start-thread",
  input: z.object({ ...postFields, threadTitle: threadTitleField, target: anchorTargetField.optional() }),
  async run(ctx, input, emit): Promise<PostResult> {
    const author = postAuthor(ctx, input);
    const page = await discussedPage(ctx, input.title);
    const target = input.target;
    // The cheap checks first; the revision's render and the search for the quote only once the rate limit is consumed (createThread).
    const revision = target ? await anchorRevision(ctx.db, page.id, target) : undefined;
    const anchor = revision && target ? () => prepareAnchor(ctx.db, revision, target) : undefined;
    const outcome = await createThread(ctx.db, { pageId: page.id, title: input.threadTitle, source: input.body, author, meta: postMeta(ctx, input), anchor });
    emit({ type: "talk.posted", slug: page.slug, threadId: outcome.thread.id, postId: outcome.post.id, held: outcome.status === "held" });
    return postResult(page.slug, outcome);
  },
});

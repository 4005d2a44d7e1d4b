import "server-only";
import { z } from "zod";
import { defineCommand } from "@/lib/commands/command";
import { optionalIdField } from "@/lib/commands/fields";
import { idSchema } from "@/lib/ids";
import { replyToThread } from "@/lib/talk/post-store";
import { discussedPage, postAuthor, postFields, postMeta, postResult, type PostResult } from "./post-fields";

/** Reply to a thread, or to a visible post in it. */
export const replyToThreadCommand = defineCommand({
  name: "reply-to-thread",
  input: z.object({ ...postFields, threadId: idSchema, parentPostId: optionalIdField }),
  async run(ctx, input, emit): Promise<PostResult> {
    const author = postAuthor(ctx, input);
    const page = await discussedPage(ctx, input.title);
    const outcome = await replyToThread(ctx.db, {
      pageId: page.id,
      threadId: input.threadId,
      parentPostId: input.parentPostId ?? undefined,
      source: input.body,
      author,
      meta: postMeta(ctx, input),
    });
    // A visible reply can make a thread count on the Discussion tab.
    emit({ type: "talk.posted", slug: page.slug, threadId: outcome.thread.id, postId: outcome.post.id, held: outcome.status === "held" });
    return postResult(page.slug, outcome);
  },
});

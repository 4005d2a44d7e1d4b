import "server-only";
import { z } from "zod";
import { defineCommand } from "@/lib/commands/command";
import { createThread } from "@/lib/talk/post-store";
import { discussedPage, postAuthor, postFields, postMeta, postResult, threadTitleField, type PostResult } from "./post-fields";

/** Start a thread on a page's discussion with its first post (held for a moderator when it looks like spam). */
export const startThreadCommand = defineCommand({
  name: "start-thread",
  input: z.object({ ...postFields, threadTitle: threadTitleField }),
  async run(ctx, input, emit): Promise<PostResult> {
    const author = postAuthor(ctx, input);
    const page = await discussedPage(ctx, input.title);
    const outcome = await createThread(ctx.db, { pageId: page.id, title: input.threadTitle, source: input.body, author, meta: postMeta(ctx, input) });
    emit({ type: "talk.posted", slug: page.slug, threadId: outcome.thread.id, postId: outcome.post.id, held: outcome.status === "held" });
    return postResult(page.slug, outcome);
  },
});

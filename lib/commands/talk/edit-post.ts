import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { talkPosts, talkThreads } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/ids";
import { text } from "@/lib/text";
import { editPost } from "@/lib/talk/post-store";
import { discussedPage } from "./post-fields";

/** An author edits their own post; the earlier version is kept, and a post edited into spam is held again. */
export const editPostCommand = defineCommand({
  name: "edit-post",
  input: z.object({ title: titleField, postId: idSchema, body: text({ label: "Post", max: 200_000 }) }),
  async run(ctx, input, emit): Promise<{ postId: number; status: string }> {
    authorize(ctx.actor, "rate");
    const page = await discussedPage(ctx, input.title);
    // A post of another page's discussion is not one to edit from here.
    const [mine] = await ctx.db
      .select({ id: talkPosts.id })
      .from(talkPosts)
      .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
      .where(and(eq(talkPosts.id, input.postId), eq(talkThreads.pageId, page.id)));
    if (!mine) throw new AppError("not_found:page", "There is no such post on this page's discussion.");
    const post = await editPost(ctx.db, ctx.actor, input.postId, input.body);
    if (post.status === "held") emit({ type: "talk.posts-changed", postIds: [post.id] });
    return { postId: post.id, status: post.status };
  },
});

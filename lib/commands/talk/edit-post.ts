import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { idSchema } from "@/lib/ids";
import { text } from "@/lib/text";
import { editPost } from "@/lib/talk/post-store";

/** An author edits their own post; the earlier version is kept, and a post edited into spam is held again. */
export const editPostCommand = defineCommand({
  name: "edit-post",
  input: z.object({ title: titleField, postId: idSchema, body: text({ label: "Post", max: 200_000 }) }),
  async run(ctx, input, emit): Promise<{ postId: number; status: string }> {
    authorize(ctx.actor, "rate");
    const post = await editPost(ctx.db, ctx.actor, input.postId, input.body);
    if (post.status === "held") emit({ type: "talk.posts-changed", postIds: [post.id] });
    return { postId: post.id, status: post.status };
  },
});

import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { idSchema } from "@/lib/ids";
import { moderatePost } from "@/lib/talk/moderation";

/** Moderators approve (show), hide, or mark a post as spam (which trains the filter); logged. */
export const moderatePostCommand = defineCommand({
  name: "moderate-post",
  input: z.object({ postId: idSchema, action: z.enum(["approve", "hide", "spam"], { error: "Choose approve, hide or spam." }) }),
  async run(ctx, input, emit): Promise<{ action: "approve" | "hide" | "spam" }> {
    authorize(ctx.actor, "moderate");
    await moderatePost(ctx.db, ctx.actor, input.postId, input.action);
    emit({ type: "talk.posts-changed", postIds: [input.postId] });
    return { action: input.action };
  },
});

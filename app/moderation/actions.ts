"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { blockSpammer, moderateMention, moderatePost } from "@/lib/talk/moderation";
import { idSchema } from "@/lib/ids";

export const moderateAction = formAction(
  z.object({ postId: idSchema, action: z.enum(["approve", "hide", "spam"]) }),
  async ({ postId, action }, actor) => {
    await moderatePost(getDb(), actor, postId, action);
    revalidatePath("/moderation");
    return { ok: true, message: { approve: "Approved: the post is shown.", hide: "Hidden.", spam: "Marked as spam; the filter learns from it." }[action] };
  },
);

export const blockSpammerAction = formAction(z.object({ userId: z.string().uuid() }), async ({ userId }, actor) => {
  const hidden = await blockSpammer(getDb(), actor, userId);
  revalidatePath("/moderation");
  return { ok: true, message: `Blocked; ${hidden} ${hidden === 1 ? "post" : "posts"} hidden.` };
});

export const moderateMentionAction = formAction(
  z.object({ mentionId: idSchema, action: z.enum(["approve", "hide"]) }),
  async ({ mentionId, action }, actor) => {
    await moderateMention(getDb(), actor, mentionId, action);
    revalidatePath("/moderation");
    return { ok: true, message: action === "approve" ? "The mention is shown." : "The mention is hidden." };
  },
);

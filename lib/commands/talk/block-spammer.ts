import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { blockSpammer } from "@/lib/talk/moderation";

/** Moderators block a spammer and hide all their posts, in one transaction; logged. */
export const blockSpammerCommand = defineCommand({
  name: "block-spammer",
  input: z.object({ userId: z.uuid({ error: "No such user." }) }),
  async run(ctx, input, emit): Promise<{ hiddenPosts: number }> {
    authorize(ctx.actor, "moderate");
    const hiddenPosts = await blockSpammer(ctx.db, ctx.actor, input.userId);
    emit({ type: "user.blocked", userId: input.userId, blocked: true });
    return { hiddenPosts };
  },
});

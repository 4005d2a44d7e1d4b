import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { idSchema } from "@/lib/ids";
import { moderateMention } from "@/lib/talk/moderation";

/** Moderators show or hide a mention from another site; logged. */
export const moderateMentionCommand = defineCommand({
  name: "moderate-mention",
  input: z.object({ mentionId: idSchema, action: z.enum(["approve", "hide"], { error: "Choose approve or hide." }) }),
  async run(ctx, input, emit): Promise<{ action: "approve" | "hide" }> {
    authorize(ctx.actor, "moderate");
    await moderateMention(ctx.db, ctx.actor, input.mentionId, input.action);
    emit({ type: "talk.mention-moderated", mentionId: input.mentionId });
    return { action: input.action };
  },
});

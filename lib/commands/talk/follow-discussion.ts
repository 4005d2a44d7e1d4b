import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { flagField, optionalIdField, titleField } from "@/lib/commands/fields";
import { talkThreads } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { subscribe, unsubscribe } from "@/lib/talk/notifications";
import { discussedPage } from "./post-fields";

/** A member follows (or stops following) a page's discussion or one thread of it. */
export const followDiscussionCommand = defineCommand({
  name: "follow-discussion",
  input: z.object({ title: titleField, threadId: optionalIdField, follow: flagField }),
  async run(ctx, input, emit): Promise<{ following: boolean }> {
    authorize(ctx.actor, "rate");
    const page = await discussedPage(ctx, input.title);
    if (input.threadId !== null) {
      // A thread of another page is not one to follow from here.
      const [thread] = await ctx.db.select({ id: talkThreads.id }).from(talkThreads).where(and(eq(talkThreads.id, input.threadId), eq(talkThreads.pageId, page.id)));
      if (!thread) throw new AppError("not_found:page", "There is no such thread on this page.");
    }
    if (input.follow) await subscribe(ctx.db, ctx.actor.id, page.id, input.threadId);
    else await unsubscribe(ctx.db, ctx.actor.id, page.id, input.threadId);
    emit({ type: "talk.followed", slug: page.slug });
    return { following: input.follow };
  },
});

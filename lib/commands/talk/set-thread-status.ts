import "server-only";
import { z } from "zod";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { idSchema } from "@/lib/ids";
import { changeThreadStatus } from "@/lib/talk/post-store";
import { discussedPage } from "./post-fields";

/** Its starter resolves or reopens a thread; only moderators archive one or bring it back. */
export const setThreadStatusCommand = defineCommand({
  name: "set-thread-status",
  input: z.object({ title: titleField, threadId: idSchema, status: z.enum(["open", "resolved", "archived"], { error: "A thread is open, resolved or archived." }) }),
  async run(ctx, input, emit): Promise<{ slug: string; threadId: number; status: string }> {
    const page = await discussedPage(ctx, input.title);
    // The permission rule needs the thread: lib/talk/post-store.ts's changeThreadStatus applies it.
    const thread = await changeThreadStatus(ctx.db, ctx.actor, input.threadId, input.status, page.id);
    emit({ type: "talk.thread-changed", slug: page.slug, threadId: thread.id });
    return { slug: page.slug, threadId: thread.id, status: thread.status };
  },
});

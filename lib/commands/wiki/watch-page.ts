import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { flagField, titleField } from "@/lib/commands/fields";
import { setWatch } from "@/lib/wiki/watchlist";
import { requirePageRow } from "./subject";

/** A member adds a page to their watchlist or removes it. */
export const watchPageCommand = defineCommand({
  name: "watch-page",
  input: z.object({ title: titleField, watch: flagField }),
  async run(ctx, input, emit): Promise<{ watching: boolean }> {
    // Watching is personal, like rating: any member who is not blocked.
    authorize(ctx.actor, "rate");
    const page = await requirePageRow(ctx.db, input.title);
    await setWatch(ctx.db, ctx.actor.id, page.id, input.watch);
    emit({ type: "page.watched", slug: page.slug });
    return { watching: input.watch };
  },
});

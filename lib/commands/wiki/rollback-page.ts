import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { rollback } from "@/lib/wiki/page-actions";
import { savedEvent, type ChangeResult } from "./change-result";
import { requirePageRow } from "./subject";

/** Moderators: roll back the last author's consecutive edits to the newest revision by someone else. */
export const rollbackPageCommand = defineCommand({
  name: "rollback-page",
  input: z.object({ title: titleField }),
  async run(ctx, input, emit): Promise<ChangeResult> {
    authorize(ctx.actor, "moderate");
    const page = await requirePageRow(ctx.db, input.title);
    const result = await rollback(ctx.db, { slug: page.slug, actorId: ctx.actor.id });
    emit(savedEvent(result));
    return { slug: result.page.slug, revisionId: result.revision.id };
  },
});

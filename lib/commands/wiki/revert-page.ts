import "server-only";
import { z } from "zod";
import { authorize, can } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { idSchema } from "@/lib/ids";
import { text } from "@/lib/text";
import { revertToRevision } from "@/lib/wiki/page-actions";
import { pageSubject, requirePageRow } from "./subject";
import { savedEvent, type ChangeResult } from "./change-result";

/** Restore an old revision's text as a new revision (recorded as a revert). */
export const revertPageCommand = defineCommand({
  name: "revert-page",
  input: z.object({ title: titleField, revisionId: idSchema, summary: text({ label: "Edit summary", max: 500, trim: true }).optional() }),
  async run(ctx, input, emit): Promise<ChangeResult> {
    const page = await requirePageRow(ctx.db, input.title);
    authorize(ctx.actor, "edit", pageSubject(page));
    const result = await revertToRevision(ctx.db, {
      slug: page.slug,
      revisionId: input.revisionId,
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
      mayEditProtected: can(ctx.actor, "protect"),
      summary: input.summary,
    });
    emit(savedEvent(result));
    return { slug: result.page.slug, revisionId: result.revision.id, of: input.revisionId };
  },
});

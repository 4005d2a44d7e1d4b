import "server-only";
import { z } from "zod";
import { authorize, can } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { idSchema } from "@/lib/ids";
import { undoRevision } from "@/lib/wiki/page-actions";
import { savedEvent, type ChangeResult } from "./change-result";
import { pageSubject, requirePageRow } from "./subject";

/** Undo one older edit when it applies cleanly on top of the current text. */
export const undoRevisionCommand = defineCommand({
  name: "undo-revision",
  input: z.object({ title: titleField, revisionId: idSchema }),
  async run(ctx, input, emit): Promise<ChangeResult> {
    const page = await requirePageRow(ctx.db, input.title);
    authorize(ctx.actor, "edit", pageSubject(page));
    const result = await undoRevision(ctx.db, { slug: page.slug, revisionId: input.revisionId, actorId: ctx.actor.id, mayEditProtected: can(ctx.actor, "protect") });
    emit(savedEvent(result));
    return { slug: result.page.slug, revisionId: result.revision.id, of: input.revisionId };
  },
});

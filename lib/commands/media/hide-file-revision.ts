import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { fileUploads, pages } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/ids";
import { hideBlob } from "@/lib/media/blob-store";

/**
 * A moderator hides a file revision: the upload is marked hidden (by whom,
 * when) and its bytes are no longer served, under any name or revision that
 * points at them (they are one blob). The revision stays in history, and
 * moderators still see it there, marked (showFileRevisionCommand undoes it).
 */
export const hideFileRevisionCommand = defineCommand({
  name: "hide-file-revision",
  input: z.object({ revisionId: idSchema }),
  async run(ctx, input, emit): Promise<{ slug: string; sha256: string }> {
    authorize(ctx.actor, "moderate");
    const actor = ctx.actor;
    const hidden = await ctx.db.transaction(async (tx) => {
      const [upload] = await tx
        .select({ sha256: fileUploads.sha256, slug: pages.slug })
        .from(fileUploads)
        .innerJoin(pages, eq(pages.id, fileUploads.pageId))
        .where(eq(fileUploads.revisionId, input.revisionId))
        .for("update");
      if (!upload) throw new AppError("not_found:revision", "This revision is not a file upload.");
      await tx
        .update(fileUploads)
        .set({ hiddenAt: sql`now()`, hiddenBy: actor.id })
        .where(and(eq(fileUploads.revisionId, input.revisionId), isNull(fileUploads.hiddenAt)));
      await hideBlob(tx, upload.sha256);
      return upload;
    });
    // Every cache drops the bytes; the file page and the pages that show the file show it no more (lib/events/effects.ts).
    emit({ type: "file.visibility-changed", slug: hidden.slug, sha256: hidden.sha256, hidden: true });
    return hidden;
  },
});

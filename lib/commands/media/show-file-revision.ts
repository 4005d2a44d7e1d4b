import "server-only";
import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { fileUploads, mediaBlobs, pages } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/ids";

/**
 * A moderator shows a hidden file revision again (undoes hideFileRevisionCommand).
 * The bytes are served again once no other upload of the same bytes is still
 * hidden: a blob is one file under every revision that points at it, so one
 * hidden upload keeps it hidden for all.
 */
export const showFileRevisionCommand = defineCommand({
  name: "show-file-revision",
  input: z.object({ revisionId: idSchema }),
  async run(ctx, input, emit): Promise<{ slug: string; sha256: string; served: boolean }> {
    authorize(ctx.actor, "moderate");
    const shown = await ctx.db.transaction(async (tx) => {
      const [upload] = await tx
        .select({ sha256: fileUploads.sha256, slug: pages.slug, hiddenAt: fileUploads.hiddenAt })
        .from(fileUploads)
        .innerJoin(pages, eq(pages.id, fileUploads.pageId))
        .where(eq(fileUploads.revisionId, input.revisionId))
        .for("update");
      if (!upload) throw new AppError("not_found:revision", "This revision is not a file upload.");
      if (upload.hiddenAt === null) throw new AppError("conflict:revision", "This file revision is not hidden.");
      await tx.update(fileUploads).set({ hiddenAt: null, hiddenBy: null }).where(eq(fileUploads.revisionId, input.revisionId));
      // The blob row is locked first, so a hide of another upload of these bytes waits for this decision.
      await tx.select({ sha256: mediaBlobs.sha256 }).from(mediaBlobs).where(eq(mediaBlobs.sha256, upload.sha256)).for("update");
      const [stillHidden] = await tx
        .select({ n: sql<number>`1` })
        .from(fileUploads)
        .where(and(eq(fileUploads.sha256, upload.sha256), isNotNull(fileUploads.hiddenAt), ne(fileUploads.revisionId, input.revisionId)))
        .limit(1);
      if (!stillHidden) await tx.update(mediaBlobs).set({ hiddenAt: null }).where(eq(mediaBlobs.sha256, upload.sha256));
      return { slug: upload.slug, sha256: upload.sha256, served: !stillHidden };
    });
    emit({ type: "file.visibility-changed", slug: shown.slug, sha256: shown.sha256, hidden: false });
    return shown;
  },
});

import "server-only";
import { desc, eq, inArray } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { fileUploads, mediaBlobs, users, type MediaBlob } from "@/lib/db/schema";

/** One upload in a file page's file history. */
export type UploadEntry = { revisionId: number; createdAt: Date; uploader: string; size: number; sha256: string; mime: string; width: number | null; height: number | null; hidden: boolean };

/** Uploads shown in a file history (newest first); older ones are in the page's history. */
export const FILE_HISTORY_LIMIT = 50;

/** What a file page shows of its file: the blob this revision points at, who uploaded it, and the page's uploads. */
export async function getFileInfo(db: Database, pageId: number, sha256: string): Promise<{ blob: MediaBlob | null; uploader: string | null; uploads: UploadEntry[] }> {
  const [[blob], uploads] = await Promise.all([
    db.select().from(mediaBlobs).where(eq(mediaBlobs.sha256, sha256)),
    db
      .select({
        revisionId: fileUploads.revisionId,
        createdAt: fileUploads.createdAt,
        uploader: users.name,
        size: fileUploads.size,
        sha256: fileUploads.sha256,
        mime: mediaBlobs.mime,
        width: mediaBlobs.width,
        height: mediaBlobs.height,
        hiddenAt: fileUploads.hiddenAt,
      })
      .from(fileUploads)
      .innerJoin(users, eq(users.id, fileUploads.uploaderId))
      .innerJoin(mediaBlobs, eq(mediaBlobs.sha256, fileUploads.sha256))
      .where(eq(fileUploads.pageId, pageId))
      .orderBy(desc(fileUploads.revisionId))
      .limit(FILE_HISTORY_LIMIT),
  ]);
  const entries = uploads.map(({ hiddenAt, ...u }) => ({ ...u, hidden: hiddenAt !== null }));
  return { blob: blob ?? null, uploader: entries.find((u) => u.sha256 === sha256)?.uploader ?? null, uploads: entries };
}

/** Which of these revisions are uploads, and whether a moderator hid each (for a page's history: one indexed query). */
export async function uploadsOfRevisions(db: Database, revisionIds: readonly number[]): Promise<Map<number, { sha256: string; hidden: boolean }>> {
  if (revisionIds.length === 0) return new Map();
  const rows = await db.select({ revisionId: fileUploads.revisionId, sha256: fileUploads.sha256, hiddenAt: fileUploads.hiddenAt }).from(fileUploads).where(inArray(fileUploads.revisionId, [...revisionIds]));
  return new Map(rows.map((r) => [r.revisionId, { sha256: r.sha256, hidden: r.hiddenAt !== null }]));
}

import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize, can } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { summaryField } from "@/lib/commands/fields";
import type { Database } from "@/lib/db/client";
import { fileUploads } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { blobStore } from "@/lib/media/blob-store";
import { extensionOf, fileNameOf, mediaPath } from "@/lib/media/file-types";
import { newFilePageSource, reuploadedSource } from "@/lib/wiki/file-page";
import { detectType, sniff } from "@/lib/media/inspect";
import { removeSpool, spoolBytes, SPOOL_HEAD_BYTES, type SpooledFile } from "@/lib/http/spool";
import { mediaLimits } from "@/lib/media/limits";
import { inspectInWorker } from "@/lib/media/media-jobs";
import { consume } from "@/lib/rate-limit";
import { text } from "@/lib/text";
import { getPageRevision } from "@/lib/wiki/page-store";
import { savePage } from "@/lib/wiki/page-updater";
import { FILE_PREFIX } from "@/lib/wikitext/title";
import { findPage, pageSubject, requireTitle } from "../wiki/subject";

/** What the wiki answers for an upload: the file page, its new revision and where the bytes are served. */
export type UploadResult = {
  title: string;
  slug: string;
  revision: number;
  /** Site-relative: /media/<sha256>/<name>. */
  path: string;
  sha256: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  /** How long a sound or video lasts, when its headers say. */
  durationSeconds: number | null;
  created: boolean;
  /** The same bytes and fields as the latest revision: nothing new was saved. */
  unchanged: boolean;
};

/** Refuse an upload that would take the uploader's stored bytes past their quota. */
async function checkQuota(db: Pick<Database, "select">, uploaderId: string, adding: number, quotaBytes: number): Promise<void> {
  const [used] = await db
    .select({ bytes: sql<string>`coalesce(sum(${fileUploads.size}), 0)` })
    .from(fileUploads)
    .where(eq(fileUploads.uploaderId, uploaderId));
  if (Number(used?.bytes ?? 0) + adding > quotaBytes) {
    throw new AppError("too_large", `Your uploads would pass your quota of ${Math.floor(quotaBytes / 1e6)} MB; nothing was saved.`, { field: "file", reason: "quota" });
  }
}

/**
 * The largest an upload may be, from its first 64 KiB (its type): the edge
 * asks this while the file streams in, and answers 413 the moment it passes
 * (a type the wiki does not accept is refused there already).
 */
export async function uploadSizeLimit(head: Uint8Array): Promise<number> {
  const found = await detectType(head);
  if (!found.ok) throw new AppError(refusalStatus[found.refusal.code], found.refusal.message, { field: "file", reason: found.refusal.code });
  return mediaLimits(env()).perCategory[found.type.category];
}

const isSpooled = (value: unknown): value is SpooledFile =>
  typeof value === "object" && value !== null && typeof (value as SpooledFile).path === "string" && typeof (value as SpooledFile).sha256 === "string" && (value as SpooledFile).head instanceof Uint8Array;

const refusalStatus = {
  unsupported: "unsupported:media_type",
  mismatch: "unsupported:media_type",
  polyglot: "unsupported:media_type",
  svg: "unsupported:media_type",
  too_many_pixels: "too_large",
  undecodable: "invalid:content",
} as const;

/**
 * Upload a file as a revision of its page `File:<name>`: the page is created
 * on the first upload; each later upload is a new revision (so history and
 * revert work as for any page). The type comes from the bytes and must be
 * allowed and agree with the name; images are re-encoded without their
 * metadata in the worker pool, sounds and videos get their duration there.
 * The file is on disk (spooled by the edge; bytes given in memory, by the CLI
 * or a test, are spooled here first), and goes to the blob store from there,
 * a chunk at a time. The blob, the revision and the upload record are
 * written in one transaction.
 */
export const uploadFileCommand = defineCommand({
  name: "upload-file",
  input: z.object({
    name: text({ label: "Name", max: 200, min: 1, trim: true }),
    /** The file: spooled to disk (the API), or bytes (the CLI, tests). */
    file: z.custom<SpooledFile | Uint8Array>((value) => value instanceof Uint8Array || isSpooled(value), { message: "file: attach the file to upload." }),
    summary: summaryField,
    description: text({ label: "Description", max: 20_000, trim: true }).optional(),
    licence: text({ label: "Licence", max: 200, trim: true }).optional(),
    source: text({ label: "Source", max: 500, trim: true }).optional(),
  }),
  async run(ctx, input, emit): Promise<UploadResult> {
    const name = input.name.startsWith(FILE_PREFIX) ? input.name.slice(FILE_PREFIX.length) : input.name;
    if (name.includes("/") || name.includes("\\")) throw new AppError("invalid:title", "A file name cannot contain / or \\.");
    const title = requireTitle(FILE_PREFIX + name);
    if (extensionOf(title.title) === "") throw new AppError("invalid:title", "A file name ends in its type, such as .jpg, .png, .mp3 or .pdf.", { field: "name" });
    const page = await findPage(ctx.db, title.slug);
    authorize(ctx.actor, "edit", pageSubject(page));
    const actor = ctx.actor;

    const limits = mediaLimits(env());
    if ((input.file instanceof Uint8Array ? input.file.byteLength : input.file.size) === 0) throw new AppError("invalid:input", "The file is empty.", { field: "file" });
    const upload = input.file instanceof Uint8Array ? await spoolBytes(input.file) : input.file;
    try {
      return await store(upload);
    } finally {
      // The edge removes what it spooled; what was spooled here is removed here.
      if (input.file instanceof Uint8Array) await removeSpool(upload);
    }

    async function store(upload: SpooledFile): Promise<UploadResult> {
      // A first look at the type, cheap, to refuse early and to know which size limit applies.
      const first = await sniff(upload.head.subarray(0, SPOOL_HEAD_BYTES), title.title);
      if (!first.ok) throw new AppError(refusalStatus[first.refusal.code], first.refusal.message, { field: "file", reason: first.refusal.code });
      const maxBytes = limits.perCategory[first.type.category];
      if (upload.size > maxBytes) {
        throw new AppError("too_large", `This file is too large: ${first.type.category} files can be at most ${Math.floor(maxBytes / 1e6)} MB.`, { field: "file" });
      }
      // Checked early (before the work of inspecting), and again under a lock when the upload is recorded.
      await checkQuota(ctx.db, actor.id, upload.size, limits.quotaBytes);
      const limited = await consume(ctx.db, "uploadUser", actor.id);
      if (!limited.ok) throw new AppError("rate_limited", "You have uploaded many files in the last hour; wait a while and try again.", { retryAfterSeconds: limited.retryAfterSeconds });

      const inspected = await inspectInWorker(upload.path, title.title, limits.maxPixels);
      if ("failed" in inspected) throw new AppError("unavailable", "The file could not be checked just now; nothing was saved. Try again in a moment.", { retryAfterSeconds: 5 });
      if ("refused" in inspected) throw new AppError(refusalStatus[inspected.refused.code], inspected.refused.message, { field: "file", reason: inspected.refused.code });
      // What is kept: the upload as it came, or the picture re-encoded without its metadata.
      const kept = inspected.kept ?? { path: upload.path, size: upload.size, sha256: upload.sha256 };
      const { sha256 } = kept;

      const latest = page && !page.deletedAt ? await getPageRevision(ctx.db, page) : null;
      const facts = { sha256, category: inspected.category, description: input.description, licence: input.licence, source: input.source };
      const content = latest ? reuploadedSource(latest.content, facts) : newFilePageSource(title, facts);
      const saved = await savePage(ctx.db, {
        title: title.slug,
        content,
        authorId: actor.id,
        summary: input.summary || `Uploaded ${fileNameOf(title.title)} (${inspected.mime}, ${kept.size.toLocaleString("en")} bytes)`,
        baseRevisionId: latest?.id ?? null,
        mayEditProtected: can(actor, "protect"),
        beforeRevision: (tx) =>
          blobStore().put(tx, { sha256, path: kept.path, size: kept.size, mime: inspected.mime, width: inspected.width, height: inspected.height, durationSeconds: inspected.durationSeconds }),
        onSaved: async (tx, revision) => {
          // Concurrent uploads by one person all passed the early check: they are recorded one at a time, each against what the others added.
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext('propagate.upload_quota'), hashtext(${actor.id}))`);
          await checkQuota(tx, actor.id, kept.size, limits.quotaBytes);
          await tx.insert(fileUploads).values({ revisionId: revision.id, pageId: revision.pageId, sha256, uploaderId: actor.id, size: kept.size });
        },
      });
      const created = saved.status === "saved" && saved.created;
      emit({ type: "page.saved", slug: saved.page.slug, created, linksChanged: saved.status === "saved" ? (saved.linksChanged ?? []) : [] });
      return {
        title: saved.page.title,
        slug: saved.page.slug,
        revision: saved.revision.id,
        path: mediaPath(sha256, saved.page.title),
        sha256,
        mime: inspected.mime,
        size: kept.size,
        width: inspected.width,
        height: inspected.height,
        durationSeconds: inspected.durationSeconds,
        created,
        unchanged: saved.status === "unchanged",
      };
    }
  },
});

import "server-only";
import { createHash } from "node:crypto";
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
import { sniff } from "@/lib/media/inspect";
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

/** Bytes of the first look at an upload (its type), taken on the request thread: file-type reads only the start. */
const SNIFF_BYTES = 64 * 1024;

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
 * metadata in the worker pool. The blob, the revision and the upload record
 * are written in one transaction.
 */
export const uploadFileCommand = defineCommand({
  name: "upload-file",
  input: z.object({
    name: text({ label: "Name", max: 200, min: 1, trim: true }),
    file: z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: "file: attach the file to upload." }),
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
    const bytes = input.file;
    if (bytes.byteLength === 0) throw new AppError("invalid:input", "The file is empty.", { field: "file" });
    // A first look at the type, cheap, to refuse early and to know which size limit applies.
    const first = await sniff(bytes.subarray(0, SNIFF_BYTES), title.title);
    if (!first.ok) throw new AppError(refusalStatus[first.refusal.code], first.refusal.message, { field: "file", reason: first.refusal.code });
    const maxBytes = limits.perCategory[first.type.category];
    if (bytes.byteLength > maxBytes) {
      throw new AppError("too_large", `This file is too large: ${first.type.category} files can be at most ${Math.floor(maxBytes / 1e6)} MB.`, { field: "file" });
    }
    // Checked early (before the work of inspecting), and again under a lock when the upload is recorded.
    await checkQuota(ctx.db, actor.id, bytes.byteLength, limits.quotaBytes);
    const limited = await consume(ctx.db, "uploadUser", actor.id);
    if (!limited.ok) throw new AppError("rate_limited", "You have uploaded many files in the last hour; wait a while and try again.", { retryAfterSeconds: limited.retryAfterSeconds });

    const inspected = await inspectInWorker(bytes, title.title, limits.maxPixels);
    if ("failed" in inspected) throw new AppError("unavailable", "The file could not be checked just now; nothing was saved. Try again in a moment.", { retryAfterSeconds: 5 });
    if ("refused" in inspected) throw new AppError(refusalStatus[inspected.refused.code], inspected.refused.message, { field: "file", reason: inspected.refused.code });
    const kept = inspected;
    const sha256 = createHash("sha256").update(kept.bytes).digest("hex");

    const latest = page && !page.deletedAt ? await getPageRevision(ctx.db, page) : null;
    const facts = { sha256, category: kept.category, description: input.description, licence: input.licence, source: input.source };
    const content = latest ? reuploadedSource(latest.content, facts) : newFilePageSource(title, facts);
    const saved = await savePage(ctx.db, {
      title: title.slug,
      content,
      authorId: actor.id,
      summary: input.summary || `Uploaded ${fileNameOf(title.title)} (${kept.mime}, ${kept.bytes.byteLength.toLocaleString("en")} bytes)`,
      baseRevisionId: latest?.id ?? null,
      mayEditProtected: can(actor, "protect"),
      beforeRevision: (tx) => blobStore().put(tx, { sha256, bytes: kept.bytes, mime: kept.mime, width: kept.width, height: kept.height }),
      onSaved: async (tx, revision) => {
        // Concurrent uploads by one person all passed the early check: they are recorded one at a time, each against what the others added.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('propagate.upload_quota'), hashtext(${actor.id}))`);
        await checkQuota(tx, actor.id, kept.bytes.byteLength, limits.quotaBytes);
        await tx.insert(fileUploads).values({ revisionId: revision.id, pageId: revision.pageId, sha256, uploaderId: actor.id, size: kept.bytes.byteLength });
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
      mime: kept.mime,
      size: kept.bytes.byteLength,
      width: kept.width,
      height: kept.height,
      created,
      unchanged: saved.status === "unchanged",
    };
  },
});

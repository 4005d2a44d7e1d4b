import "server-only";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { pageLog, pages, type Page } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { withTitleLexemes } from "./search-vector";
import { countPageTags, setPageTagsTitle } from "./tag-counts";
import { assertNoLookalikeTitle } from "./lookalikes";
import { parseTitle, TitleError } from "./title";

/** A page by slug, deleted or not (moderation needs to see deleted pages). */
export async function getPageBySlugIncludingDeleted(db: Database, slug: string): Promise<Page | null> {
  const [page] = await db.select().from(pages).where(eq(pages.slug, slug));
  return page ?? null;
}

async function requirePage(db: Database, slug: string): Promise<Page> {
  const page = await getPageBySlugIncludingDeleted(db, slug);
  if (!page) throw new AppError("not_found:page", "There is no page with this title.");
  return page;
}

/**
 * Protect a page (only moderators may edit it) or lift protection; logged.
 * Callers check the "protect" policy first.
 */
export async function setProtection(db: Database, actorId: string, slug: string, protect: boolean, reason = ""): Promise<Page> {
  const page = await requirePage(db, slug);
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx.update(pages).set({ protection: protect ? "moderators" : "none" }).where(eq(pages.id, page.id)).returning();
    await tx.insert(pageLog).values({ pageId: page.id, actorId, action: protect ? "protect" : "unprotect", reason: reason.slice(0, 500) });
    return row!;
  });
  return updated;
}

/** Delete a page: hidden from readers, its history kept; logged. */
export async function deletePage(db: Database, actorId: string, slug: string, reason = ""): Promise<Page> {
  const page = await requirePage(db, slug);
  if (page.deletedAt) throw new AppError("invalid:input", "This page is already deleted.");
  const updated = await db.transaction(async (tx) => {
    // Only a live page is deleted: of two deletes at once, one finds it already gone (one log entry).
    const [row] = await tx.update(pages).set({ deletedAt: sql`now()` }).where(and(eq(pages.id, page.id), isNull(pages.deletedAt))).returning();
    if (!row) throw new AppError("invalid:input", "This page is already deleted.");
    await countPageTags(tx, page.id, -1);
    await tx.insert(pageLog).values({ pageId: page.id, actorId, action: "delete", reason: reason.slice(0, 500) });
    return row;
  });
  return updated;
}

/** Restore a deleted page with its full history; logged. */
export async function restorePage(db: Database, actorId: string, slug: string, reason = ""): Promise<Page> {
  const page = await requirePage(db, slug);
  if (!page.deletedAt) throw new AppError("invalid:input", "This page is not deleted.");
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx.update(pages).set({ deletedAt: null }).where(and(eq(pages.id, page.id), isNotNull(pages.deletedAt))).returning();
    if (!row) throw new AppError("invalid:input", "This page is not deleted.");
    await countPageTags(tx, page.id, 1);
    await tx.insert(pageLog).values({ pageId: page.id, actorId, action: "restore", reason: reason.slice(0, 500) });
    return row;
  });
  return updated;
}

/**
 * Rename a page, leaving a redirect at the old title: the page row (with its
 * history) takes the new slug, and a new redirect row takes the old one.
 * Front matter titles in later revisions follow the new title.
 */
export async function movePage(db: Database, actorId: string, slug: string, newTitleRaw: string, reason = ""): Promise<Page> {
  let target;
  try {
    target = parseTitle(newTitleRaw);
  } catch (error) {
    if (error instanceof TitleError) throw new AppError("invalid:title", error.message);
    throw error;
  }
  const page = await requirePage(db, slug);
  if (page.deletedAt) throw new AppError("invalid:input", "Restore the page before renaming it.");
  if (target.slug === page.slug) throw new AppError("invalid:input", "The new title is the same as the old one.");
  const moved = await db.transaction(async (tx) => {
    // Lock the page: a rename that landed meanwhile (or a delete) is seen, not overwritten.
    const [current] = await tx.select({ slug: pages.slug, deletedAt: pages.deletedAt }).from(pages).where(eq(pages.id, page.id)).for("update");
    if (!current || current.slug !== page.slug || current.deletedAt) throw new AppError("conflict:revision", "This page was renamed or deleted meanwhile; nothing was changed.");
    const [taken] = await tx.select({ id: pages.id }).from(pages).where(eq(pages.slug, target.slug));
    if (taken) throw new AppError("conflict:revision", `A page called "${target.title}" already exists.`);
    const skeleton = await assertNoLookalikeTitle(tx, target, page.id);
    const [row] = await tx
      .update(pages)
      .set({
        slug: target.slug,
        title: target.title,
        titleSkeleton: skeleton,
        // Search ranks title matches from the vector's A-weighted title lexemes: swap in the new title's.
        searchVector: withTitleLexemes(pages.searchVector, target.title),
      })
      .where(and(eq(pages.id, page.id), isNull(pages.deletedAt)))
      .returning();
    await setPageTagsTitle(tx, page.id, target.title);
    await tx.insert(pages).values({ slug: page.slug, title: page.title, kind: page.kind, redirectToPageId: page.id, titleSkeleton: page.titleSkeleton });
    await tx.insert(pageLog).values({ pageId: page.id, actorId, action: "move", reason: reason.slice(0, 500), details: { from: page.title, to: target.title } });
    return row!;
  }).catch((error: unknown) => {
    // Another page took the title between the check and the insert.
    if (isUniqueViolation(error)) throw new AppError("conflict:revision", `A page called "${target.title}" already exists.`);
    throw error;
  });
  return moved;
}

/** Where a title that was renamed now lives (the slug of the page it redirects to), or null. */
export async function renamedTo(db: Database, slug: string): Promise<string | null> {
  const row = await getPageBySlugIncludingDeleted(db, slug);
  if (!row?.redirectToPageId) return null;
  const [target] = await db.select({ slug: pages.slug }).from(pages).where(eq(pages.id, row.redirectToPageId));
  return target?.slug ?? null;
}

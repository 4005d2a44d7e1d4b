import "server-only";
import { and, desc, eq, ne } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { revisions, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { withTitle } from "./front-matter";
import { undoEdit } from "./merge";
import { getPageBySlug } from "./page-store";
import { savePage, type SaveResult } from "./page-updater";
import { tryParseTitle } from "./title";

async function pageAndLatest(db: Database, rawSlug: string) {
  const slug = tryParseTitle(rawSlug)?.slug;
  const page = slug ? await getPageBySlug(db, slug) : null;
  if (!page || page.latestRevisionId === null) throw new AppError("not_found:page", "There is no page with this title.");
  const [latest] = await db.select().from(revisions).where(eq(revisions.id, page.latestRevisionId));
  return { page, latest: latest! };
}

async function revisionOf(db: Database, pageId: number, id: number) {
  const [row] = await db.select().from(revisions).where(and(eq(revisions.id, id), eq(revisions.pageId, pageId)));
  if (!row) throw new AppError("not_found:revision", `Revision ${id} is not a revision of this page.`);
  return row;
}

/** Restore an old revision's text as a new revision (recorded as a revert). */
export async function revertToRevision(
  db: Database,
  input: { slug: string; revisionId: number; actorId: string; actorName: string; mayEditProtected: boolean; summary?: string },
): Promise<SaveResult> {
  const { page, latest } = await pageAndLatest(db, input.slug);
  const target = await revisionOf(db, page.id, input.revisionId);
  if (target.id === latest.id) throw new AppError("unchanged:revision", "This is already the current version.");
  return changed(await savePage(db, {
    title: page.slug,
    // An old revision may carry a title the page had before a rename.
    content: withTitle(target.content, page.title),
    authorId: input.actorId,
    summary: input.summary?.trim() || `Reverted to revision ${target.id}`,
    baseRevisionId: latest.id,
    change: { type: "revert", toRevisionId: target.id },
    merge: false,
    mayEditProtected: input.mayEditProtected,
  }));
}

/**
 * Undo one older edit when it applies cleanly on top of the current text
 * (three-way); refuse with the reason when later edits changed the same lines.
 */
export async function undoRevision(
  db: Database,
  input: { slug: string; revisionId: number; actorId: string; mayEditProtected: boolean; summary?: string },
): Promise<SaveResult> {
  const { page, latest } = await pageAndLatest(db, input.slug);
  const target = await revisionOf(db, page.id, input.revisionId);
  if (target.parentId === null) throw new AppError("invalid:input", "The first revision of a page cannot be undone; delete the page instead.");
  const parentRevision = await revisionOf(db, page.id, target.parentId);
  const merged = undoEdit(parentRevision.content, target.content, latest.content);
  if (!merged.clean) {
    throw new AppError("conflict:revision", "This edit cannot be undone automatically: later edits changed the same lines. Edit the page by hand instead.");
  }
  return changed(await savePage(db, {
    title: page.slug,
    content: withTitle(merged.text, page.title),
    authorId: input.actorId,
    summary: input.summary?.trim() || `Undid revision ${target.id}`,
    baseRevisionId: latest.id,
    change: { type: "undo", undidRevisionId: target.id },
    merge: false,
    mayEditProtected: input.mayEditProtected,
  }));
}

/**
 * Roll back all consecutive latest edits by the last author (moderators):
 * restore the newest revision by someone else.
 */
export async function rollback(db: Database, input: { slug: string; actorId: string }): Promise<SaveResult> {
  const { page, latest } = await pageAndLatest(db, input.slug);
  const [before] = await db
    .select({ id: revisions.id, content: revisions.content })
    .from(revisions)
    .where(and(eq(revisions.pageId, page.id), ne(revisions.authorId, latest.authorId)))
    .orderBy(desc(revisions.id))
    .limit(1);
  if (!before) throw new AppError("invalid:input", "Every revision of this page is by the same author; there is nothing to roll back to.");
  const [author] = await db.select({ name: users.name }).from(users).where(eq(users.id, latest.authorId));
  return changed(await savePage(db, {
    title: page.slug,
    content: withTitle(before.content, page.title),
    authorId: input.actorId,
    summary: `Rolled back edits by ${author?.name ?? "unknown"} to revision ${before.id}`,
    baseRevisionId: latest.id,
    change: { type: "rollback", ofUserId: latest.authorId, toRevisionId: before.id },
    merge: false,
    mayEditProtected: true,
  }));
}

/** A revert, undo or rollback that would leave the text as it is saves nothing and says so. */
function changed(result: SaveResult): SaveResult {
  if (result.status === "unchanged") throw new AppError("unchanged:revision", "That text is already the current text; nothing was saved.");
  return result;
}

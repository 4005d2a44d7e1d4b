import "server-only";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pages, revisions } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { decodeSegment } from "@/lib/text";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { parseTitle, TitleError } from "@/lib/wiki/title";

/** The canonical slug for a title in a URL, or a 400. */
export function slugFrom(raw: string): string {
  const decoded = decodeSegment(raw);
  if (decoded === null) throw new AppError("invalid:title", "This address is not valid: it contains a broken %-escape.");
  try {
    return parseTitle(decoded).slug;
  } catch (error) {
    if (error instanceof TitleError) throw new AppError("invalid:title", error.message);
    throw error;
  }
}

/** A live page or a 404 with the reason. */
export async function requirePage(db: Database, slug: string) {
  const page = await getPageBySlug(db, slug);
  if (!page || page.latestRevisionId === null) throw new AppError("not_found:page", `There is no page called "${slug.replace(/_/g, " ")}".`);
  return page;
}

/** Pages by slug, keyset-paginated. */
export async function listPagesForApi(db: Database, after: string | undefined, limit: number) {
  const rows = await db
    .select({ slug: pages.slug, title: pages.title, kind: pages.kind, latestRevisionId: pages.latestRevisionId, touchedAt: pages.touchedAt })
    .from(pages)
    .where(and(isNull(pages.deletedAt), isNull(pages.redirectToPageId), after ? gt(pages.slug, after) : undefined))
    .orderBy(asc(pages.slug))
    .limit(limit + 1);
  return { pages: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1]!.slug : null };
}

/** A revision as the API shows it. */
export function revisionJson(r: typeof revisions.$inferSelect, authorName?: string) {
  return {
    id: r.id,
    parentId: r.parentId,
    createdAt: r.createdAt.toISOString(),
    author: authorName ?? null,
    summary: r.summary,
    minor: r.isMinor,
    length: r.length,
    sha256: r.sha256,
    change: r.change ?? null,
    fields: r.fields,
    content: r.content,
  };
}

export async function requireRevision(db: Database, pageId: number, id: number) {
  const [row] = await db.select().from(revisions).where(and(eq(revisions.id, id), eq(revisions.pageId, pageId)));
  if (!row) throw new AppError("not_found:revision", `Revision ${id} is not a revision of this page.`);
  return row;
}

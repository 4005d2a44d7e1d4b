import "server-only";
import { and, asc, count, desc, eq, getTableColumns, isNull, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pageLinks, pages, pageTags, revisions, tagCounts, users, type Page, type Revision } from "@/lib/db/schema";
import { keysetPage, type KeysetPage, type KeysetRequest } from "./keyset";

/** Every column of a page but the search ones, which only search reads. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the search columns are left out on purpose
const { searchVector, searchText, ...pageColumns } = getTableColumns(pages);
export { pageColumns };

/** A live (not deleted) page by slug. */
export async function getPageBySlug(db: Database, slug: string): Promise<Page | null> {
  const [page] = await db
    .select(pageColumns)
    .from(pages)
    .where(and(eq(pages.slug, slug), isNull(pages.deletedAt)));
  return page ?? null;
}

/** A revision of a page: the latest, or `revisionId` when it belongs to the page. */
export async function getPageRevision(db: Database, page: Page, revisionId?: number): Promise<Revision | null> {
  const id = revisionId ?? page.latestRevisionId;
  if (id === null || id === undefined) return null;
  const [revision] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.id, id), eq(revisions.pageId, page.id)));
  return revision ?? null;
}

export type MatrixRow = {
  id: number;
  slug: string;
  title: string;
  dimension: string;
  tkm: string;
  sl: string;
  summary: string;
  tags: string[];
};

export type MatrixSort = "dimension" | "title";

/** Rows of the overview per page, and of other listings. */
export const OVERVIEW_PAGE_SIZE = 50;
export const PAGES_PAGE_SIZE = 100;
export const TAGS_PAGE_SIZE = 100;

/** `(key, id) > cursor` (or `<`) and the matching order, for a keyset page on `key`. */
function keyset(key: SQL | AnyColumn, id: AnyColumn, request: KeysetRequest): { where: SQL | undefined; order: SQL[] } {
  const cursor = request.after ?? request.before;
  const backwards = request.before !== undefined;
  return {
    where: cursor ? (backwards ? sql`(${key}, ${id}) < (${cursor.key}, ${cursor.id})` : sql`(${key}, ${id}) > (${cursor.key}, ${cursor.id})`) : undefined,
    order: backwards ? [sql`${key} desc`, sql`${id} desc`] : [sql`${key} asc`, sql`${id} asc`],
  };
}

/**
 * One keyset page of the overview: live difference pages with their latest
 * revision's structured fields, by dimension or title (sorted and filtered by
 * tag in the database, on partial indexes of `pages`).
 */
export async function listDifferences(db: Database, options: { tag?: string; sort?: MatrixSort; page?: KeysetRequest } = {}): Promise<KeysetPage<MatrixRow>> {
  const request = options.page ?? { limit: OVERVIEW_PAGE_SIZE };
  const key = options.sort === "title" ? pages.title : pages.dimension;
  const { where, order } = keyset(key, pages.id, request);
  const rows = await db
    .select({ id: pages.id, slug: pages.slug, title: pages.title, dimension: pages.dimension, fields: revisions.fields })
    .from(pages)
    .innerJoin(revisions, eq(revisions.id, pages.latestRevisionId))
    .where(
      and(
        eq(pages.kind, "difference"),
        isNull(pages.deletedAt),
        options.tag ? sql`exists (select 1 from ${pageTags} where ${pageTags.pageId} = ${pages.id} and ${pageTags.tag} = ${options.tag})` : undefined,
        where,
      ),
    )
    .orderBy(...order)
    .limit(request.limit + 1);
  const matrix = rows.map(({ id, slug, title, dimension, fields }): MatrixRow => {
    const f = fields as Partial<Record<string, unknown>>;
    const str = (v: unknown) => (typeof v === "string" ? v : "");
    return { id, slug, title, dimension: dimension ?? str(f.dimension), tkm: str(f.tkm), sl: str(f.sl), summary: str(f.summary), tags: Array.isArray(f.tags) ? f.tags.map(String) : [] };
  });
  return keysetPage(matrix, request, (r) => ({ key: options.sort === "title" ? r.title : r.dimension, id: r.id }));
}

/** Pages whose latest revision links to `slug` ("what links here"). */
export async function listBacklinks(db: Database, slug: string) {
  return db
    .select({ slug: pages.slug, title: pages.title, kind: pages.kind })
    .from(pageLinks)
    .innerJoin(pages, eq(pages.id, pageLinks.fromPageId))
    .where(and(eq(pageLinks.toSlug, slug), isNull(pages.deletedAt)))
    .orderBy(asc(pages.title));
}

/** One keyset page of the tags in use, by name, each with how many live pages carry it. */
export async function listTags(db: Database, request: KeysetRequest = { limit: TAGS_PAGE_SIZE }): Promise<KeysetPage<{ tag: string; pages: number }>> {
  const cursor = request.after ?? request.before;
  const backwards = request.before !== undefined;
  // Stored counts (lib/wiki/tag-counts.ts): a range of the primary key, never a count of page_tags.
  const rows = await db
    .select({ tag: tagCounts.tag, pages: tagCounts.pages })
    .from(tagCounts)
    .where(and(sql`${tagCounts.pages} > 0`, cursor ? (backwards ? sql`${tagCounts.tag} < ${cursor.key}` : sql`${tagCounts.tag} > ${cursor.key}`) : undefined))
    .orderBy(backwards ? desc(tagCounts.tag) : asc(tagCounts.tag))
    .limit(request.limit + 1);
  return keysetPage(rows, request, (r) => ({ key: r.tag, id: 0 }));
}

/**
 * One keyset page of the live pages carrying a tag, by title, with their
 * summaries: a range scan of page_tags' (tag, title, page_id) index, each row
 * joined to its page (deleted pages are skipped, so the scan reads about
 * `limit` rows however many pages carry the tag).
 */
export async function listPagesWithTag(db: Database, tag: string, request: KeysetRequest = { limit: PAGES_PAGE_SIZE }) {
  const { where, order } = keyset(pageTags.title, pageTags.pageId, request);
  const tagged = db
    .select({ id: pages.id, slug: pages.slug, title: pageTags.title, kind: pages.kind, latestRevisionId: pages.latestRevisionId })
    .from(pageTags)
    .innerJoin(pages, eq(pages.id, pageTags.pageId))
    .where(and(eq(pageTags.tag, tag), isNull(pages.deletedAt), where))
    .orderBy(...order)
    .limit(request.limit + 1)
    .as("tagged");
  // The summaries are read for the rows of this page only.
  const rows = await db
    .select({ id: tagged.id, slug: tagged.slug, title: tagged.title, kind: tagged.kind, summary: sql<string>`coalesce(${revisions.fields}->>'summary', '')` })
    .from(tagged)
    .leftJoin(revisions, eq(revisions.id, tagged.latestRevisionId))
    .orderBy(...(request.before ? [desc(tagged.title), desc(tagged.id)] : [asc(tagged.title), asc(tagged.id)]));
  return keysetPage(rows, request, (r) => ({ key: r.title, id: r.id }));
}

/** One keyset page of the live pages, by title, without the redirects renames leave. */
export async function listPages(db: Database, request: KeysetRequest = { limit: PAGES_PAGE_SIZE }) {
  const { where, order } = keyset(pages.title, pages.id, request);
  const rows = await db
    .select({ id: pages.id, slug: pages.slug, title: pages.title, kind: pages.kind })
    .from(pages)
    .where(and(isNull(pages.deletedAt), isNull(pages.redirectToPageId), where))
    .orderBy(...order)
    .limit(request.limit + 1);
  return keysetPage(rows, request, (r) => ({ key: r.title, id: r.id }));
}

/** Who wrote a page, with how many revisions each, most first. */
export async function listContributors(db: Database, pageId: number) {
  return db
    .select({ name: users.name, isSystem: users.isSystem, edits: count() })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(eq(revisions.pageId, pageId))
    .groupBy(users.id, users.name, users.isSystem)
    .orderBy(desc(count()), asc(users.name));
}

/** How many live pages there are. */
export async function countPages(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(pages).where(and(isNull(pages.deletedAt), isNull(pages.redirectToPageId)));
  return row?.n ?? 0;
}

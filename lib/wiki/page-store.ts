import "server-only";
import { and, asc, count, desc, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pageLinks, pages, pageTags, revisions, users, type Page, type Revision } from "@/lib/db/schema";
import type { PageFields } from "./front-matter";

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
  slug: string;
  title: string;
  dimension: string;
  tkm: string;
  sl: string;
  summary: string;
  tags: string[];
};

/**
 * One row per live difference page, from its latest revision's structured
 * fields, ordered by dimension. `tag` narrows to pages carrying that tag.
 */
export async function listDifferences(db: Database, tag?: string): Promise<MatrixRow[]> {
  const rows = await db
    .select({ slug: pages.slug, title: pages.title, fields: revisions.fields })
    .from(pages)
    .innerJoin(revisions, eq(revisions.id, pages.latestRevisionId))
    .where(
      and(
        eq(pages.kind, "difference"),
        isNull(pages.deletedAt),
        tag ? sql`exists (select 1 from ${pageTags} where ${pageTags.pageId} = ${pages.id} and ${pageTags.tag} = ${tag})` : undefined,
      ),
    );
  return rows
    .map(({ slug, title, fields }) => {
      const f = fields as PageFields;
      return f.kind === "difference"
        ? { slug, title, dimension: f.dimension, tkm: f.tkm, sl: f.sl, summary: f.summary, tags: f.tags }
        : null;
    })
    .filter((r): r is MatrixRow => r !== null)
    .sort((a, b) => a.dimension.localeCompare(b.dimension));
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

/** Every tag in use with how many live pages carry it. */
export async function listTags(db: Database) {
  return db
    .select({ tag: pageTags.tag, pages: count() })
    .from(pageTags)
    .innerJoin(pages, eq(pages.id, pageTags.pageId))
    .where(isNull(pages.deletedAt))
    .groupBy(pageTags.tag)
    .orderBy(asc(pageTags.tag));
}

/** Live pages carrying a tag. */
export async function listPagesWithTag(db: Database, tag: string) {
  return db
    .select({ slug: pages.slug, title: pages.title, kind: pages.kind, summary: sql<string>`${revisions.fields}->>'summary'` })
    .from(pageTags)
    .innerJoin(pages, eq(pages.id, pageTags.pageId))
    .innerJoin(revisions, eq(revisions.id, pages.latestRevisionId))
    .where(and(eq(pageTags.tag, tag), isNull(pages.deletedAt)))
    .orderBy(asc(pages.title));
}

/** All live pages, by title, without the redirects renames leave (small wikis; lists are paginated later). */
export async function listPages(db: Database) {
  return db
    .select({ slug: pages.slug, title: pages.title, kind: pages.kind })
    .from(pages)
    .where(and(isNull(pages.deletedAt), isNull(pages.redirectToPageId)))
    .orderBy(asc(pages.title));
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

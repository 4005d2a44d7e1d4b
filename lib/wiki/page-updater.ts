import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { pageLinks, pages, pageTags, revisions, type Page, type Revision } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { parseSource, searchableText, type ParsedSource } from "./source";
import { parseTitle, TitleError } from "./title";

export type SaveInput = {
  /** Title or slug of the page; a missing page is created. */
  title: string;
  content: string;
  authorId: string;
  summary?: string;
  minor?: boolean;
  /** The revision the editor started from; null when creating the page. */
  baseRevisionId: number | null;
};

export type SaveResult =
  | { status: "saved"; page: Page; revision: Revision; created: boolean }
  | { status: "unchanged"; page: Page; revision: Revision };

/**
 * Save an edit as one new revision, in one transaction: the revision, the
 * page's latest-revision pointer (compare-and-set from the base), its links,
 * tags, kind and search index. A stale base raises `conflict:revision`.
 */
export async function savePage(db: Database, input: SaveInput): Promise<SaveResult> {
  let title;
  try {
    title = parseTitle(input.title);
  } catch (error) {
    if (error instanceof TitleError) throw new AppError("invalid:title", error.message);
    throw error;
  }
  const parsed = await parseSource(input.content);
  if (!parsed.ok) {
    throw new AppError("invalid:content", "The page source has errors; nothing was saved.", { issues: parsed.issues });
  }
  const source = parsed.value;
  const declared = parseTitle(source.fields.title);
  if (declared.slug !== title.slug) {
    throw new AppError("invalid:content", "The title in the front matter must match the page title.", {
      issues: [{ line: 2, column: 1, rule: "front-matter-title", message: `Front matter title "${source.fields.title}" does not match the page "${title.title}".` }],
    });
  }
  const summary = (input.summary ?? "").trim().slice(0, 500);

  try {
    return await db.transaction(async (tx) => {
      let [page] = await tx.select().from(pages).where(eq(pages.slug, title.slug)).for("update");
      let created = false;
      if (!page) {
        if (input.baseRevisionId !== null) throw new AppError("conflict:revision", "This page no longer exists; it may have been renamed or deleted.");
        [page] = await tx.insert(pages).values({ slug: title.slug, title: title.title, kind: source.fields.kind }).returning();
        created = true;
      }
      if (!page) throw new Error("page insert returned nothing");
      if (page.latestRevisionId !== input.baseRevisionId) {
        throw new AppError("conflict:revision", "Someone else saved this page after you started editing.", {
          latestRevisionId: page.latestRevisionId,
        });
      }
      if (page.latestRevisionId !== null) {
        const [latest] = await tx.select().from(revisions).where(eq(revisions.id, page.latestRevisionId));
        if (latest && latest.sha256 === source.sha256) return { status: "unchanged" as const, page, revision: latest };
      }
      const [revision] = await tx
        .insert(revisions)
        .values({
          pageId: page.id,
          parentId: input.baseRevisionId,
          authorId: input.authorId,
          title: title.title,
          summary,
          isMinor: input.minor ?? false,
          content: input.content,
          fields: source.fields,
          sha256: source.sha256,
          length: source.length,
        })
        .returning();
      if (!revision) throw new Error("revision insert returned nothing");
      const updated = await movePointer(tx, page, revision, source, input.baseRevisionId);
      return { status: "saved" as const, page: updated, revision, created };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict:revision", "Someone else saved this page at the same moment; nothing was saved.");
    }
    throw error;
  }
}

async function movePointer(tx: Tx, page: Page, revision: Revision, source: ParsedSource, base: number | null): Promise<Page> {
  const f = source.fields;
  const structured = [f.summary, ...f.tags, ...(f.kind === "difference" ? [f.dimension, f.tkm, f.sl] : [])].join(" ");
  const bodyText = searchableText(source.body);
  const [updated] = await tx
    .update(pages)
    .set({
      latestRevisionId: revision.id,
      kind: f.kind,
      touchedAt: sql`now()`,
      searchText: `${structured}\n${bodyText}`,
      searchVector: sql`setweight(to_tsvector('english', ${page.title}), 'A')
        || setweight(to_tsvector('english', ${structured}), 'B')
        || setweight(to_tsvector('english', ${bodyText}), 'C')`,
    })
    .where(
      and(
        eq(pages.id, page.id),
        base === null ? isNull(pages.latestRevisionId) : eq(pages.latestRevisionId, base),
      ),
    )
    .returning();
  if (!updated) throw new AppError("conflict:revision", "Someone else saved this page after you started editing.");

  await tx.delete(pageLinks).where(eq(pageLinks.fromPageId, page.id));
  const links = source.links.filter((slug) => slug !== page.slug);
  if (links.length > 0) await tx.insert(pageLinks).values(links.map((toSlug) => ({ fromPageId: page.id, toSlug })));
  await tx.delete(pageTags).where(eq(pageTags.pageId, page.id));
  const tags = [...new Set(f.tags)];
  if (tags.length > 0) await tx.insert(pageTags).values(tags.map((tag) => ({ pageId: page.id, tag })));
  return updated;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}

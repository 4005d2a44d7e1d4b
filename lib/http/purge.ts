import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pageLinks, pages, revisions, talkPosts, talkThreads } from "@/lib/db/schema";
import { OLD_REVISIONS_TAG, OVERVIEW_TAG, PAGE_CACHE_KEY, pageTag, type PagePurger } from "./page-cache-key";

/**
 * Purges of the anonymous page cache, called by the domain after a write has
 * committed (never inside the transaction: a reader could refill the cache
 * with the old page before the commit). Without a running server (tests,
 * scripts) there is no cache and these do nothing.
 */
function purger(): PagePurger | undefined {
  return (globalThis as { [PAGE_CACHE_KEY]?: PagePurger })[PAGE_CACHE_KEY];
}

/** Drop the cached views of these pages, and of the overview when it may list them. */
export function purgePages(slugs: Iterable<string>, { overview = false }: { overview?: boolean } = {}): void {
  const tags = [...new Set(slugs)].map(pageTag);
  if (overview) tags.push(OVERVIEW_TAG);
  if (tags.length > 0) purger()?.purgeTags(tags);
}

/** After a page is created: pages that link to it showed a red link (and so may any old revision). */
export async function purgeLinkersOf(db: Database, slug: string): Promise<void> {
  const cache = purger();
  if (!cache) return;
  const rows = await db.select({ slug: pages.slug }).from(pageLinks).innerJoin(pages, eq(pages.id, pageLinks.fromPageId)).where(eq(pageLinks.toSlug, slug));
  cache.purgeTags([...new Set(rows.map((r) => r.slug))].map(pageTag).concat(OLD_REVISIONS_TAG));
}

/** A user's name changed: purge the pages they contributed to (contributors, history, diffs). */
export async function purgePagesEditedBy(db: Database, userId: string): Promise<void> {
  if (!purger()) return;
  const rows = await db.selectDistinct({ slug: pages.slug }).from(revisions).innerJoin(pages, eq(pages.id, revisions.pageId)).where(eq(revisions.authorId, userId));
  purgePages(rows.map((r) => r.slug));
}

/** A page's discussion or rating changed: its tab counts and rating box did. */
export async function purgePageById(db: Database, pageId: number): Promise<void> {
  if (!purger()) return;
  const [row] = await db.select({ slug: pages.slug }).from(pages).where(eq(pages.id, pageId));
  if (row) purgePages([row.slug]);
}

/** A talk post's visibility changed: purge the page it is under. */
export async function purgePagesOfPosts(db: Database, postIds: number[]): Promise<void> {
  if (!purger() || postIds.length === 0) return;
  const rows = await db
    .selectDistinct({ slug: pages.slug })
    .from(talkPosts)
    .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
    .innerJoin(pages, eq(pages.id, talkThreads.pageId))
    .where(inArray(talkPosts.id, postIds));
  purgePages(rows.map((r) => r.slug));
}

/** Deleting, restoring or renaming a page changes links (red, blue, redirects) anywhere: start afresh. */
export function purgeEverything(): void {
  purger()?.purgeAll();
}

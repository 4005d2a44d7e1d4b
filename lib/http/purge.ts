import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pageLinks, pages, revisions, talkPosts, talkThreads } from "@/lib/db/schema";
import { mediaTag, OLD_REVISIONS_TAG, OVERVIEW_TAG, PAGE_CACHE_KEY, PURGE_CHANNEL, pageTag, purgeMessage, type PagePurger, type PurgeMessage } from "./page-cache-key";

/**
 * Purges of the page cache, called by the domain after a write has committed
 * (never inside the transaction: a reader could refill the cache with the old
 * page before the commit). Each purge is applied to this process's cache, if
 * it runs one, and announced on the database (NOTIFY), so that every server
 * on the same database purges too, including when the write came from a
 * script such as `npm run seed` (see lib/http/purge-listener.ts).
 */
function localCache(): PagePurger | undefined {
  return (globalThis as { [PAGE_CACHE_KEY]?: PagePurger })[PAGE_CACHE_KEY];
}

/**
 * Run a purge's lookups and the purge itself without ever failing the write
 * that came before it (it has committed): on any error, this process's cache
 * is emptied instead and the error logged. Other servers still expire entries.
 */
async function safely(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    localCache()?.purgeAll();
    console.error("page cache: a purge failed; this server's cache was emptied instead", error);
  }
}

async function purge(db: Database, message: PurgeMessage): Promise<void> {
  const cache = localCache();
  if ("all" in message) cache?.purgeAll();
  else if (message.tags.length > 0) cache?.purgeTags(message.tags);
  else return;
  try {
    await db.execute(sql`select pg_notify(${PURGE_CHANNEL}, ${purgeMessage(message)})`);
  } catch (error) {
    // The write has committed; a lost announcement only delays other servers (entries expire).
    console.error("page cache: could not announce a purge", error);
  }
}

/** Drop the cached views of these pages, and of the overview when it may list them. */
export async function purgePages(db: Database, slugs: Iterable<string>, { overview = false }: { overview?: boolean } = {}): Promise<void> {
  return safely(async () => {
    const tags = [...new Set(slugs)].map(pageTag);
    if (overview) tags.push(OVERVIEW_TAG);
    await purge(db, { tags });
  });
}

/** After a page is created: pages that link to it showed a red link (and so may any old revision). */
export async function purgeLinkersOf(db: Database, slug: string): Promise<void> {
  return safely(async () => {
    const rows = await db.select({ slug: pages.slug }).from(pageLinks).innerJoin(pages, eq(pages.id, pageLinks.fromPageId)).where(eq(pageLinks.toSlug, slug));
    await purge(db, { tags: [...new Set(rows.map((r) => r.slug))].map(pageTag).concat(OLD_REVISIONS_TAG) });
  });
}

/** A file was hidden (or shown again): every front's copies of its bytes and resized copies go (`media:<sha256>`). */
export async function purgeMedia(db: Database, sha256: string): Promise<void> {
  return safely(async () => {
    await purge(db, { tags: [mediaTag(sha256)] });
  });
}

/** A user's name changed: purge the pages they contributed to (contributors, history, diffs). */
export async function purgePagesEditedBy(db: Database, userId: string): Promise<void> {
  return safely(async () => {
    const rows = await db.selectDistinct({ slug: pages.slug }).from(revisions).innerJoin(pages, eq(pages.id, revisions.pageId)).where(eq(revisions.authorId, userId));
    await purgePages(db, rows.map((r) => r.slug));
  });
}

/** A page's discussion or rating changed: its tab counts and rating box did. */
export async function purgePageById(db: Database, pageId: number): Promise<void> {
  return safely(async () => {
    const [row] = await db.select({ slug: pages.slug }).from(pages).where(eq(pages.id, pageId));
    if (row) await purgePages(db, [row.slug]);
  });
}

/** A talk post's visibility changed: purge the page it is under. */
export async function purgePagesOfPosts(db: Database, postIds: number[]): Promise<void> {
  return safely(async () => {
    if (postIds.length === 0) return;
    const rows = await db
      .selectDistinct({ slug: pages.slug })
      .from(talkPosts)
      .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
      .innerJoin(pages, eq(pages.id, talkThreads.pageId))
      .where(inArray(talkPosts.id, postIds));
    await purgePages(db, rows.map((r) => r.slug));
  });
}

/** Deleting, restoring or renaming a page changes links (red, blue, redirects) anywhere: start afresh. */
export async function purgeEverything(db: Database): Promise<void> {
  return safely(async () => {
    await purge(db, { all: true });
  });
}

/**
 * How the domain reaches the page cache of the server it runs in: the server
 * (scripts/server.ts) registers its cache under this global symbol. Kept apart
 * from page-cache.ts so the Next.js bundle does not pull in the cache itself.
 */
export const PAGE_CACHE_KEY = Symbol.for("propagate.page-cache");

export type PagePurger = { purgeTags(tags: readonly string[]): number; purgeAll(): number };

/** The tag of everything cached about one page: its view, old revisions, diffs, history. */
export function pageTag(slug: string): string {
  return `page:${slug}`;
}

/** The tag of the overview pages (`/` and `/compare`), which list every difference page. */
export const OVERVIEW_TAG = "overview";

/** The tag of cached old revisions (`?rev=`), whose links can turn blue when any page is created. */
export const OLD_REVISIONS_TAG = "old-revisions";

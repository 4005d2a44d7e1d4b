import { z } from "zod";

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

/** Tags of a stored file's bytes (`media:<sha256>`): purging one drops the front's copies of the file and its resized copies. */
export const MEDIA_TAG_PREFIX = "media:";
/** Told to an application by its front (never published): forget every file it keeps, since purges may have been missed. */
export const ALL_MEDIA_TAG = `${MEDIA_TAG_PREFIX}*`;

/** The tag of a stored file's answers in the front server's media cache (lib/http/media-cache.ts). */
export function mediaTag(sha256: string): string {
  return `${MEDIA_TAG_PREFIX}${sha256}`;
}

/** The PostgreSQL channel on which purges are announced to every server (NOTIFY / LISTEN). */
export const PURGE_CHANNEL = "propagate_page_cache";

export type PurgeMessage = { tags: string[] } | { all: true };

const purgeSchema = z.union([z.object({ all: z.literal(true) }).strict(), z.object({ tags: z.array(z.string().min(1).max(600)).max(10_000) }).strict()]);

/** A purge as a NOTIFY payload; one too long for NOTIFY (8,000 bytes) becomes "purge everything". */
export function purgeMessage(message: PurgeMessage): string {
  const text = JSON.stringify(message);
  return Buffer.byteLength(text) <= 7_900 ? text : JSON.stringify({ all: true });
}

/** Read a NOTIFY payload; anything malformed is treated as "purge everything" (safe, if wasteful). */
export function parsePurgeMessage(payload: string): PurgeMessage {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { all: true };
  }
  const parsed = purgeSchema.safeParse(value);
  return parsed.success ? parsed.data : { all: true };
}

/** The page cache's store: an LRU bounded by bytes, with a tag index and generations for purges. */
import { LRUCache } from "lru-cache";
import type { PagePurger } from "./page-cache-key";
import type { CachedPage } from "./page-cache-entry";

/** The longest a page stays cached without a purge: a safety net for a purge that never came. */
const MAX_AGE_MS = 10 * 60 * 1000;

/** What `beginFill` hands out: the generations an entry's store is checked against. */
export type FillTicket = { all: number; tags: number[] };

export type PageCacheStats = { hits: number; misses: number; stored: number; skipped: number; purged: number; entries: number; bytes: number };

/**
 * The share of the cache's bytes for addresses with a query (`?rev=`, a
 * diff's pair of revisions, history cursors, `?redirectedfrom=`). Those are
 * as many as there are revisions, pairs of them and titles, and anyone can
 * ask for them in a loop: in their own segment they push each other out,
 * never the pages themselves (a canonical page or the overview).
 */
export const QUERY_SEGMENT_SHARE = 0.25;

/** An LRU of cached pages, bounded by bytes, with a tag index for purges. */
export class PageCache implements PagePurger {
  /** Pages by their canonical path (no query); and the addresses with a query (QUERY_SEGMENT_SHARE of the bytes). */
  readonly #pages: LRUCache<string, CachedPage>;
  readonly #queries: LRUCache<string, CachedPage>;
  readonly #byTag = new Map<string, Set<string>>();
  /** Bumped by purgeAll; per tag by purgeTags (one counter per page ever purged, a few bytes each). */
  #generation = 0;
  readonly #tagGenerations = new Map<string, number>();
  readonly #stats = { hits: 0, misses: 0, stored: 0, skipped: 0, purged: 0 };

  constructor({ maxBytes = 64 * 2 ** 20 }: { maxBytes?: number } = {}) {
    const queryBytes = Math.floor(maxBytes * QUERY_SEGMENT_SHARE);
    this.#pages = this.#segment(maxBytes - queryBytes);
    this.#queries = this.#segment(queryBytes);
  }

  #segment(maxSize: number): LRUCache<string, CachedPage> {
    return new LRUCache<string, CachedPage>({
      maxSize: Math.max(1, maxSize),
      // The compressed variants come later; count them at a generous estimate up front.
      sizeCalculation: (e) => Math.ceil(e.body.length * 1.5) + 512,
      ttl: MAX_AGE_MS,
      dispose: (entry, key) => {
        for (const tag of entry.tags) {
          const keys = this.#byTag.get(tag);
          keys?.delete(key);
          if (keys?.size === 0) this.#byTag.delete(tag);
        }
      },
    });
  }

  /** The segment a key lives in: keys are canonical paths, with a query only for the long tail. */
  #entries(key: string): LRUCache<string, CachedPage> {
    return key.includes("?") ? this.#queries : this.#pages;
  }

  get(key: string): CachedPage | undefined {
    const entry = this.#entries(key).get(key);
    if (entry) this.#stats.hits++;
    else this.#stats.misses++;
    return entry;
  }

  /** Call when a fill starts, with the tags it will have; pass the result to `store`. */
  beginFill(tags: readonly string[]): FillTicket {
    return { all: this.#generation, tags: tags.map((t) => this.#tagGenerations.get(t) ?? 0) };
  }

  /** Keep an entry unless one of its tags was purged since its fill began (it may predate the change). */
  store(key: string, ticket: FillTicket, entry: CachedPage): boolean {
    const stale = ticket.all !== this.#generation || entry.tags.some((t, i) => (this.#tagGenerations.get(t) ?? 0) !== ticket.tags[i]);
    if (stale || entry.tags.length !== ticket.tags.length) {
      this.#stats.skipped++;
      return false;
    }
    const entries = this.#entries(key);
    entries.set(key, entry);
    if (!entries.has(key)) return false;
    for (const tag of entry.tags) {
      let keys = this.#byTag.get(tag);
      if (!keys) this.#byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    this.#stats.stored++;
    return true;
  }

  purgeTags(tags: readonly string[]): number {
    let removed = 0;
    for (const tag of tags) {
      this.#tagGenerations.set(tag, (this.#tagGenerations.get(tag) ?? 0) + 1);
      for (const key of [...(this.#byTag.get(tag) ?? [])]) {
        if (this.#entries(key).delete(key)) removed++;
      }
    }
    this.#stats.purged += removed;
    return removed;
  }

  purgeAll(): number {
    this.#generation++;
    const removed = this.#pages.size + this.#queries.size;
    this.#pages.clear();
    this.#queries.clear();
    this.#stats.purged += removed;
    return removed;
  }

  stats(): PageCacheStats {
    return { ...this.#stats, entries: this.#pages.size + this.#queries.size, bytes: this.#pages.calculatedSize + this.#queries.calculatedSize };
  }
}

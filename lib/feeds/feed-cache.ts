import "server-only";
import { LRUCache } from "lru-cache";

/**
 * This process's copies of built feeds, keyed by what the feed shows (its
 * kind, page and filters). Every write that can change a feed purges them all
 * (lib/events/effects.ts); entries also expire after a minute, as the feeds'
 * own `max-age` allows, which is how another server's writes reach this one.
 * A build that began before a purge is not stored.
 */
const FEED_TTL_MS = 60_000;
const MAX_CHARS = 16_000_000;

type FeedCache = { cache: LRUCache<string, string>; pending: Map<string, Promise<string>>; generation: number };

// One per process, kept on globalThis: Next.js bundles each route (the feed's
// route handler, the page whose server action saved) with its own copy of
// this module, and a purge from one must reach the others' entries.
const FEED_CACHE_KEY = Symbol.for("propagate.feed-cache");
function state(): FeedCache {
  const registry = globalThis as { [FEED_CACHE_KEY]?: FeedCache };
  registry[FEED_CACHE_KEY] ??= {
    cache: new LRUCache<string, string>({ maxSize: MAX_CHARS, sizeCalculation: (xml) => Math.max(1, xml.length), ttl: FEED_TTL_MS }),
    pending: new Map(),
    generation: 0,
  };
  return registry[FEED_CACHE_KEY];
}

/** The feed under `key`, built by `build` on a miss; concurrent misses share one build. */
export async function cachedFeed(key: string, build: () => Promise<string>): Promise<string> {
  const feeds = state();
  const { cache, pending } = feeds;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const running = pending.get(key);
  if (running) return running;
  const started = feeds.generation;
  const building = build();
  pending.set(key, building);
  try {
    const xml = await building;
    if (started === feeds.generation) cache.set(key, xml);
    return xml;
  } finally {
    if (pending.get(key) === building) pending.delete(key);
  }
}

/** Forget every cached feed (after a write that may change one). */
export function purgeFeeds(): void {
  const feeds = state();
  feeds.generation++;
  feeds.cache.clear();
  feeds.pending.clear();
}

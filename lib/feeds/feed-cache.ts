import "server-only";
import { LRUCache } from "lru-cache";

/**
 * This process's copies of built feeds, keyed by what the feed shows (its
 * kind, page and filters). Every write that can change a feed purges them all
 * (lib/events/effects.ts); entries also expire after a minute, as the feeds'
 * own `max-age` allows, which is how another server's writes reach this one.
 * A build that began before a purge is not stored.
 *
 * A purge also starts building again, at once, the feeds that were being
 * read (at most REFRESH_AFTER_PURGE of them, the most recently used), so the
 * first reader after a write finds the new feed built or nearly built rather
 * than starting a build. A feed being rebuilt when another purge comes is
 * built once more when it finishes, never twice at a time, so a burst of
 * writes costs at most one build after another per feed; the rebuilds of
 * different feeds run one after another too.
 */
const FEED_TTL_MS = 60_000;
const MAX_CHARS = 16_000_000;
const REFRESH_AFTER_PURGE = 4;
const REFRESH_TURN_MS = 10_000;

type Build = () => Promise<string>;
type FeedCache = {
  cache: LRUCache<string, string>;
  pending: Map<string, Promise<string>>;
  generation: number;
  /** How each cached feed was built (the closure of its last build), for rebuilding after a purge. */
  builders: Map<string, Build>;
  refreshing: Set<string>;
  /** Feeds purged again while being rebuilt: rebuilt once more when that build ends. */
  again: Set<string>;
  /** The rebuilds after purges, one after another. */
  chain: Promise<void>;
};

// One per process, kept on globalThis: Next.js bundles each route (the feed's
// route handler, the page whose server action saved) with its own copy of
// this module, and a purge from one must reach the others' entries.
const FEED_CACHE_KEY = Symbol.for("propagate.feed-cache");
function state(): FeedCache {
  const registry = globalThis as { [FEED_CACHE_KEY]?: FeedCache };
  if (!registry[FEED_CACHE_KEY]) {
    const builders = new Map<string, Build>();
    registry[FEED_CACHE_KEY] = {
      // A feed that leaves the cache (evicted, expired) is no longer rebuilt after purges.
      cache: new LRUCache<string, string>({ maxSize: MAX_CHARS, sizeCalculation: (xml) => Math.max(1, xml.length), ttl: FEED_TTL_MS, dispose: (_xml, key) => builders.delete(key) }),
      pending: new Map(),
      generation: 0,
      builders,
      refreshing: new Set(),
      again: new Set(),
      chain: Promise.resolve(),
    };
  }
  return registry[FEED_CACHE_KEY];
}

/** Start building `key`, shared by whoever asks meanwhile; stored unless a purge came first. */
function startBuild(feeds: FeedCache, key: string, build: Build): Promise<string> {
  const started = feeds.generation;
  const building = build();
  feeds.pending.set(key, building);
  void building.then(
    (xml) => {
      if (started === feeds.generation) {
        feeds.cache.set(key, xml);
        feeds.builders.set(key, build);
      }
    },
    () => {},
  );
  void building.finally(() => {
    if (feeds.pending.get(key) === building) feeds.pending.delete(key);
  }).catch(() => {});
  return building;
}

/** The feed under `key`, built by `build` on a miss; concurrent misses share one build. */
export async function cachedFeed(key: string, build: Build): Promise<string> {
  const feeds = state();
  const hit = feeds.cache.get(key);
  if (hit !== undefined) return hit;
  return feeds.pending.get(key) ?? startBuild(feeds, key, build);
}

/**
 * Rebuild `key` after a purge: one build at a time per feed, and once more if
 * purged again meanwhile. Rebuilds wait their turn behind each other (one
 * chain per process) and start after the current turn of the event loop, so
 * the write that purged answers first and the rebuilds never hold more than
 * one build's database connections.
 */
function refresh(feeds: FeedCache, key: string, build: Build): void {
  if (feeds.refreshing.has(key)) {
    feeds.again.add(key);
    return;
  }
  feeds.refreshing.add(key);
  feeds.chain = feeds.chain
    .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    // A build that hangs (a stuck connection) holds the chain at most REFRESH_TURN_MS; readers build for themselves meanwhile.
    .then(() => Promise.race([feeds.pending.get(key) ?? startBuild(feeds, key, build), new Promise<void>((resolve) => setTimeout(resolve, REFRESH_TURN_MS).unref())]))
    .then(
      () => {},
      (error: unknown) => console.error("feeds: rebuilding a feed after a write failed", error),
    )
    .finally(() => {
      feeds.refreshing.delete(key);
      if (feeds.again.delete(key)) refresh(feeds, key, build);
    });
}

/** Forget every cached feed (after a write that may change one), and rebuild the ones being read. */
export function purgeFeeds(): void {
  const feeds = state();
  // The most recently used first (lru-cache iterates keys that way).
  const recent = [...feeds.cache.keys()].slice(0, REFRESH_AFTER_PURGE).flatMap((key) => {
    const build = feeds.builders.get(key);
    return build ? [[key, build] as const] : [];
  });
  // A rebuild still running began before this write: it is dropped when it ends, and runs once more.
  for (const key of feeds.refreshing) feeds.again.add(key);
  feeds.generation++;
  feeds.cache.clear();
  feeds.pending.clear();
  feeds.builders.clear();
  for (const [key, build] of recent) refresh(feeds, key, build);
}

import "server-only";
import { LRUCache } from "lru-cache";
import type { MediaBlob } from "@/lib/db/schema";

/**
 * Recently served files of the application server, in memory: a blob's row,
 * and the bytes of small files and resized copies, so a popular picture is
 * not read from the database on every request. Bounded in bytes; entries last
 * a minute. A file a moderator hides or shows again is forgotten at once: by
 * this server when its command's event is published (lib/events/effects.ts),
 * by every other when its front hears the purge (scripts/app-server.ts).
 */
const MAX_BYTES = 64 * 2 ** 20;
/** Files up to this size are kept whole; larger ones are read chunk by chunk as before. */
export const CACHED_FILE_BYTES = 2 * 2 ** 20;

type Entry = { blob: MediaBlob } | { bytes: Buffer; mime?: string };
type Holder = { cache: LRUCache<string, Entry>; generation: number };

const KEY = Symbol.for("propagate.media-cache");
// On globalThis: Next.js's bundle and scripts/app-server.ts each load this module, and must share one cache.
function holder(): Holder {
  const global = globalThis as { [KEY]?: Holder };
  return (global[KEY] ??= {
    cache: new LRUCache<string, Entry>({
      maxSize: MAX_BYTES,
      sizeCalculation: (entry) => ("bytes" in entry ? entry.bytes.length + 64 : 512),
      ttl: 60_000,
    }),
    generation: 0,
  });
}

/** Load and keep, unless a file was forgotten meanwhile (what was read may be a file just hidden). */
async function loadAndKeep<T extends Entry>(key: string, load: () => Promise<T | null>, keep: (value: T) => boolean): Promise<T | null> {
  const { cache } = holder();
  const generation = holder().generation;
  const loaded = await load();
  if (loaded && keep(loaded) && generation === holder().generation) cache.set(key, loaded);
  return loaded;
}

export async function cachedBlob(sha256: string, load: () => Promise<MediaBlob | null>): Promise<MediaBlob | null> {
  const hit = holder().cache.get(`blob:${sha256}`);
  if (hit && "blob" in hit) return hit.blob;
  const entry = await loadAndKeep(
    `blob:${sha256}`,
    async () => {
      const blob = await load();
      return blob ? { blob } : null;
    },
    () => true,
  );
  return entry?.blob ?? null;
}

export async function cachedBytes(key: string, load: () => Promise<{ bytes: Buffer; mime?: string } | null>): Promise<{ bytes: Buffer; mime?: string } | null> {
  const hit = holder().cache.get(key);
  if (hit && "bytes" in hit) return hit;
  return loadAndKeep(key, load, (loaded) => loaded.bytes.length <= CACHED_FILE_BYTES);
}

/** Forget every file kept, and any being loaded now (purges may have been missed). */
export function forgetAllMedia(): void {
  const held = holder();
  held.generation++;
  held.cache.clear();
}

/** Forget everything kept of a blob (it was hidden, or shown again), and any of it being loaded now. */
export function forgetBlob(sha256: string): void {
  const held = holder();
  held.generation++;
  for (const key of [...held.cache.keys()]) if (key.includes(sha256)) held.cache.delete(key);
}

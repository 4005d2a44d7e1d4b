import "server-only";
import { LRUCache } from "lru-cache";
import type { MediaBlob } from "@/lib/db/schema";

/**
 * Recently served files of the application server, in memory: a blob's row,
 * and the bytes of small files and resized copies, so a popular picture is
 * not read from the database on every request. Bounded in bytes; entries last
 * a minute (the longest another server keeps serving a file a moderator hid;
 * this server forgets it at once).
 */
const MAX_BYTES = 64 * 2 ** 20;
/** Files up to this size are kept whole; larger ones are read chunk by chunk as before. */
export const CACHED_FILE_BYTES = 2 * 2 ** 20;

type Entry = { blob: MediaBlob } | { bytes: Buffer; mime?: string };

const KEY = Symbol.for("propagate.media-cache");
function cache(): LRUCache<string, Entry> {
  const holder = globalThis as { [KEY]?: LRUCache<string, Entry> };
  return (holder[KEY] ??= new LRUCache<string, Entry>({
    maxSize: MAX_BYTES,
    sizeCalculation: (entry) => ("bytes" in entry ? entry.bytes.length + 64 : 512),
    ttl: 60_000,
  }));
}

export async function cachedBlob(sha256: string, load: () => Promise<MediaBlob | null>): Promise<MediaBlob | null> {
  const hit = cache().get(`blob:${sha256}`);
  if (hit && "blob" in hit) return hit.blob;
  const blob = await load();
  if (blob) cache().set(`blob:${sha256}`, { blob });
  return blob;
}

export async function cachedBytes(key: string, load: () => Promise<{ bytes: Buffer; mime?: string } | null>): Promise<{ bytes: Buffer; mime?: string } | null> {
  const hit = cache().get(key);
  if (hit && "bytes" in hit) return hit;
  const loaded = await load();
  if (loaded && loaded.bytes.length <= CACHED_FILE_BYTES) cache().set(key, loaded);
  return loaded;
}

/** Forget everything kept of a blob (it was hidden). */
export function forgetBlob(sha256: string): void {
  for (const key of [...cache().keys()]) if (key.includes(sha256)) cache().delete(key);
}

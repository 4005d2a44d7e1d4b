/**
 * The front server's copy of recently served files (`/media/…`, whose
 * answers never change for an address: the SHA-256 names the bytes), so a
 * popular picture is answered without the application, as a cached page is.
 * Small answers only, bounded in bytes, each kept a minute at most. Entries
 * are keyed by the bytes (hash, and the width of a resized copy), never by
 * the name in the address, which anyone may write: one file under a
 * thousand names is one entry, and only its Content-Disposition differs per
 * answer. A moderator hiding a file purges its entries (the tag
 * `media:<sha256>`, heard over IPC and NOTIFY as page purges are).
 * Framework-free.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { LRUCache } from "lru-cache";
import { mediaDisposition } from "../media/serve";
import { decodeSegment } from "../text";
import { ALL_MEDIA_TAG, MEDIA_TAG_PREFIX, type PagePurger } from "./page-cache-key";
import { answerHeaders } from "./proxy-headers";

/** What is kept of an answer: its headers but Content-Disposition (made per address), its type, ETag and body. */
export type MediaEntry = { headers: string[]; mime: string; etag: string | null; body: Buffer };

/** A request this cache may answer: the bytes it asks for (the key), the name its download gets, and the width of a resized copy. */
export type MediaAsk = { key: string; sha256: string; name: string; width: number | null };

/** Answers up to this size are kept. */
export const MEDIA_ENTRY_MAX_BYTES = 2 * 2 ** 20;

// A file, or one of its resized copies; nothing else (a made-up query is answered, not kept).
const MEDIA_URL = /^\/media\/([0-9a-f]{64})\/([^/?#]{1,600})(?:\?w=(\d{1,5}))?$/;

/** What a request asks of this cache (a whole GET or HEAD of a file), or null. */
export function mediaCacheKey(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): MediaAsk | null {
  if ((method !== "GET" && method !== "HEAD") || !url || headers.range !== undefined) return null;
  const match = MEDIA_URL.exec(url);
  if (!match) return null;
  const [, sha256, segment, width] = match as unknown as [string, string, string, string | undefined];
  return { key: width === undefined ? sha256 : `${sha256}?w=${width}`, sha256, name: decodeSegment(segment) ?? segment, width: width === undefined ? null : Number(width) };
}

export class MediaCache {
  readonly #entries: LRUCache<string, MediaEntry>;
  /** Counts purges of files: an answer that began before one is not kept (it may be a file just hidden). */
  #generation = 0;

  constructor({ maxBytes, ttlMs = 60_000 }: { maxBytes: number; ttlMs?: number }) {
    this.#entries = new LRUCache<string, MediaEntry>({ maxSize: maxBytes, sizeCalculation: (e) => e.body.length + 1024, ttl: ttlMs });
  }

  get(key: string): MediaEntry | undefined {
    return this.#entries.get(key);
  }

  /** How many answers are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** The headers of a kept answer for this request: the stored ones and the download name of its own address. */
  headersFor(entry: MediaEntry, ask: MediaAsk): string[] {
    return [...entry.headers, "Content-Disposition", mediaDisposition(ask.name, entry.mime, ask.width !== null)];
  }

  /**
   * A ticket for a request about to be forwarded to the application: taken
   * before the application reads the file's row, so that a purge heard while
   * it answers (the file was just hidden) stops its answer being kept, however
   * late the answer's headers arrive.
   */
  beginFill(): number {
    return this.#generation;
  }

  /** Copy an answer as it streams past, and keep it once complete if it is a whole, immutable, small file, and no file was purged since `ticket` (beginFill, when the request was forwarded). */
  keep(key: string, answer: IncomingMessage, ticket: number): void {
    // Next.js may send the file chunked, without Content-Length: count as it streams.
    const declared = answer.headers["content-length"] === undefined ? null : Number(answer.headers["content-length"]);
    const immutable = String(answer.headers["cache-control"] ?? "").includes("immutable");
    if (answer.statusCode !== 200 || !immutable || (declared !== null && !(declared <= MEDIA_ENTRY_MAX_BYTES)) || answer.headers["set-cookie"] !== undefined) return;
    const generation = ticket;
    const chunks: Buffer[] = [];
    let size = 0;
    answer.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MEDIA_ENTRY_MAX_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    answer.on("end", () => {
      if (!answer.complete || size > MEDIA_ENTRY_MAX_BYTES || (declared !== null && size !== declared) || generation !== this.#generation) return;
      const body = Buffer.concat(chunks);
      // Date is the server's own at each answer (Node adds it); the framing is set again for the stored body;
      // the download name is the asking address's own (headersFor).
      const dropped = new Set(["date", "content-length", "content-disposition"]);
      const headers = answerHeaders(answer.rawHeaders).filter((_, i, all) => !dropped.has(all[i - (i % 2)]!.toLowerCase()));
      headers.push("Content-Length", String(body.length));
      const etag = answer.headers.etag;
      const mime = String(answer.headers["content-type"] ?? "application/octet-stream").split(";")[0]!.trim();
      this.#entries.set(key, { headers, mime, etag: typeof etag === "string" ? etag : null, body });
    });
  }

  /** Drop the answers of files named by `media:<sha256>` tags (a moderator hid them); other tags are the page cache's. */
  purgeTags(tags: readonly string[]): number {
    let dropped = 0;
    for (const tag of tags) {
      if (!tag.startsWith(MEDIA_TAG_PREFIX)) continue;
      this.#generation++;
      const sha256 = tag.slice(MEDIA_TAG_PREFIX.length);
      for (const key of [...this.#entries.keys()]) {
        if (key === sha256 || key.startsWith(`${sha256}?`)) dropped += this.#entries.delete(key) ? 1 : 0;
      }
    }
    return dropped;
  }

  /** Drop everything (purges may have been missed: the listener reconnected, or a purge failed). */
  purgeAll(): number {
    const size = this.#entries.size;
    this.#generation++;
    this.#entries.clear();
    return size;
  }
}

/**
 * What a front server does with a purge it hears from the database (another
 * server's write, or a script's): its page cache and its media cache drop
 * what is named, and a hidden file's tags go on to its application
 * (`forgetInApp`, over IPC), whose own copies of the bytes must go too.
 * Until the application has forgotten them (`forgetInApp` resolves), a miss
 * may be answered from its copy of the file's row, not hidden yet: the
 * front's cache drops the file again then, and answers to requests forwarded
 * before that are not kept.
 */
export function frontPurger({ pages, media, forgetInApp }: { pages: PagePurger | null; media: MediaCache | null; forgetInApp: (tags: string[]) => Promise<void> }): PagePurger {
  return {
    purgeTags(tags) {
      media?.purgeTags(tags);
      const hidden = tags.filter((tag) => tag.startsWith(MEDIA_TAG_PREFIX));
      if (hidden.length > 0) void forgetInApp(hidden).then(() => media?.purgeTags(hidden));
      return pages?.purgeTags(tags) ?? 0;
    },
    purgeAll() {
      // Purges may have been missed (the listener reconnected): the application forgets every file too, then this cache again.
      media?.purgeAll();
      void forgetInApp([ALL_MEDIA_TAG]).then(() => media?.purgeAll());
      return pages?.purgeAll() ?? 0;
    },
  };
}

/** Whether an If-None-Match header names this ETag (or `*`). */
export function etagMatches(header: string | undefined, etag: string | null): boolean {
  if (!header || !etag) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim().replace(/^W\//, "");
    return t === "*" || t === etag;
  });
}

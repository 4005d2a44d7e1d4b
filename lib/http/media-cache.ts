/**
 * The front server's copy of recently served files (`/media/…`, whose
 * answers never change for an address: the SHA-256 names the bytes), so a
 * popular picture is answered without the application, as a cached page is.
 * Small answers only, bounded in bytes, and each kept a minute: the longest a
 * file a moderator hid is still served by a front server. Framework-free.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { LRUCache } from "lru-cache";
import { answerHeaders } from "./proxy-headers";

export type MediaEntry = { headers: string[]; etag: string | null; body: Buffer };

/** Answers up to this size are kept. */
export const MEDIA_ENTRY_MAX_BYTES = 2 * 2 ** 20;

// A file, or one of its resized copies; nothing else (a made-up query is answered, not kept).
const MEDIA_URL = /^\/media\/[0-9a-f]{64}\/[^/?#]{1,600}(?:\?w=\d{1,5})?$/;

/** The cache key of a request this cache may answer (a whole GET or HEAD of a file), or null. */
export function mediaCacheKey(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): string | null {
  if ((method !== "GET" && method !== "HEAD") || !url || headers.range !== undefined) return null;
  return MEDIA_URL.test(url) ? url : null;
}

export class MediaCache {
  readonly #entries: LRUCache<string, MediaEntry>;

  constructor({ maxBytes, ttlMs = 60_000 }: { maxBytes: number; ttlMs?: number }) {
    this.#entries = new LRUCache<string, MediaEntry>({ maxSize: maxBytes, sizeCalculation: (e) => e.body.length + 1024, ttl: ttlMs });
  }

  get(key: string): MediaEntry | undefined {
    return this.#entries.get(key);
  }

  /** Copy an answer as it streams past, and keep it once complete if it is a whole, immutable, small file. */
  keep(key: string, answer: IncomingMessage): void {
    // Next.js may send the file chunked, without Content-Length: count as it streams.
    const declared = answer.headers["content-length"] === undefined ? null : Number(answer.headers["content-length"]);
    const immutable = String(answer.headers["cache-control"] ?? "").includes("immutable");
    if (answer.statusCode !== 200 || !immutable || (declared !== null && !(declared <= MEDIA_ENTRY_MAX_BYTES)) || answer.headers["set-cookie"] !== undefined) return;
    const chunks: Buffer[] = [];
    let size = 0;
    answer.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MEDIA_ENTRY_MAX_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    answer.on("end", () => {
      if (!answer.complete || size > MEDIA_ENTRY_MAX_BYTES || (declared !== null && size !== declared)) return;
      const body = Buffer.concat(chunks);
      // Date is the server's own at each answer (Node adds it); the framing is set again for the stored body.
      const headers = answerHeaders(answer.rawHeaders).filter((_, i, all) => !["date", "content-length"].includes(all[i - (i % 2)]!.toLowerCase()));
      headers.push("Content-Length", String(body.length));
      const etag = answer.headers.etag;
      this.#entries.set(key, { headers, etag: typeof etag === "string" ? etag : null, body });
    });
  }
}

/** Whether an If-None-Match header names this ETag (or `*`). */
export function etagMatches(header: string | undefined, etag: string | null): boolean {
  if (!header || !etag) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim().replace(/^W\//, "");
    return t === "*" || t === etag;
  });
}

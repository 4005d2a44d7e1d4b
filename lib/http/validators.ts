/**
 * HTTP validators (RFC 9110 §8.8, §13): a strong ETag from a body's bytes, and
 * whether a conditional GET may be answered 304. Shared by the page cache and
 * the feeds; framework-free so the server bundle can use it.
 */
import { createHash } from "node:crypto";

/** A strong entity tag: the first 162 bits of the body's SHA-256, base64url. */
export function strongEtag(body: string | Uint8Array): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/**
 * True when the client's copy is current. If-None-Match (weak comparison, as
 * GET allows) takes precedence; If-Modified-Since is only consulted without
 * it, at the one-second precision of HTTP dates.
 */
export function isNotModified(
  current: { etag: string; lastModified?: Date },
  request: { ifNoneMatch?: string | null; ifModifiedSince?: string | null },
): boolean {
  if (request.ifNoneMatch) {
    const opaque = current.etag.replace(/^W\//, "");
    return request.ifNoneMatch.split(",").some((candidate) => {
      const tag = candidate.trim();
      return tag === "*" || tag.replace(/^W\//, "") === opaque;
    });
  }
  if (!request.ifModifiedSince || !current.lastModified) return false;
  const since = Date.parse(request.ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(current.lastModified.getTime() / 1000) * 1000 <= since;
}

/** An HTTP date, truncated to the second. */
export function httpDate(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toUTCString();
}

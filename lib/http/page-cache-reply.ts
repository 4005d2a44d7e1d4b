/**
 * Answering from a cache entry: 304 for a current validator, otherwise the
 * best content coding the client accepts, each with its own strong ETag.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { CachedPage } from "./page-cache-entry";
import { isNotModified } from "./validators";

export type Reply = { status: 200 | 304; headers: Record<string, string>; body: Buffer | null };

/** Answer a request from an entry: conditional requests get 304, bodies the best encoding the client takes. */
export function replyFromCache(entry: CachedPage, method: string | undefined, headers: IncomingHttpHeaders, now: number): Reply {
  const wanted = pickEncoding(headers["accept-encoding"]);
  const encoding = wanted === "br" && entry.br ? "br" : wanted === "gzip" && entry.gzip ? "gzip" : null;
  const body = encoding === "br" ? entry.br! : encoding === "gzip" ? entry.gzip! : entry.body;
  const common = {
    etag: encodedEtag(entry.etag, encoding),
    "last-modified": entry.lastModified,
    "cache-control": entry.headers["cache-control"]!,
    vary: entry.headers.vary!,
    age: String(Math.max(0, Math.floor((now - entry.storedAt) / 1000))),
    "x-page-cache": "hit",
  };
  if (notModified(entry, headers)) return { status: 304, headers: common, body: null };
  return {
    status: 200,
    headers: { ...entry.headers, ...common, "content-length": String(body.length), ...(encoding ? { "content-encoding": encoding } : {}) },
    body: method === "HEAD" ? null : body,
  };
}

/** Each content coding is a different representation, so it gets its own strong ETag. */
function encodedEtag(etag: string, encoding: "br" | "gzip" | null): string {
  return encoding ? `${etag.slice(0, -1)}-${encoding}"` : etag;
}

/**
 * Only If-None-Match: a page purged and stored again within one second would
 * have the same Last-Modified, so If-Modified-Since could confirm a stale copy.
 * Any of the entry's encodings' tags matches (they name the same content).
 */
function notModified(entry: CachedPage, headers: IncomingHttpHeaders): boolean {
  const ifNoneMatch = headers["if-none-match"];
  if (!ifNoneMatch) return false;
  return [null, "gzip", "br"].some((encoding) => isNotModified({ etag: encodedEtag(entry.etag, encoding as "br" | "gzip" | null) }, { ifNoneMatch }));
}

/** br, then gzip, then identity, honouring q=0. */
export function pickEncoding(header: string | undefined): "br" | "gzip" | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name!.trim(), q === undefined ? 1 : Number(q));
  }
  const quality = (name: string) => accepted.get(name) ?? accepted.get("*") ?? 0;
  if (quality("br") > 0) return "br";
  if (quality("gzip") > 0) return "gzip";
  return null;
}

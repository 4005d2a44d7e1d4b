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
  const age = String(Math.max(0, Math.floor((now - entry.storedAt) / 1000)));
  if (notModified(entry, headers)) {
    const common: Record<string, string> = { etag: encodedEtag(entry.etag, encoding), "last-modified": entry.lastModified, "cache-control": entry.headers["cache-control"]!, vary: entry.headers.vary!, age, "x-page-cache": "hit" };
    for (const name of ["x-content-type-options", "referrer-policy", "x-frame-options"]) if (entry.headers[name]) common[name] = entry.headers[name];
    return { status: 304, headers: common, body: null };
  }
  // The full header set of each encoding is built once per entry; only Age changes per reply.
  const full = fullHeaders(entry, encoding, body.length);
  full.age = age;
  return { status: 200, headers: full, body: method === "HEAD" ? null : body };
}

const fullHeaderCache = new WeakMap<CachedPage, Map<string, Record<string, string>>>();

function fullHeaders(entry: CachedPage, encoding: "br" | "gzip" | null, length: number): Record<string, string> {
  let byEncoding = fullHeaderCache.get(entry);
  if (!byEncoding) fullHeaderCache.set(entry, (byEncoding = new Map()));
  const key = encoding ?? "identity";
  let headers = byEncoding.get(key);
  if (!headers) {
    headers = {
      ...entry.headers,
      etag: encodedEtag(entry.etag, encoding),
      "last-modified": entry.lastModified,
      "cache-control": entry.headers["cache-control"]!,
      vary: entry.headers.vary!,
      age: "0",
      "x-page-cache": "hit",
      "content-length": String(length),
      ...(encoding ? { "content-encoding": encoding } : {}),
    };
    byEncoding.set(key, headers);
  }
  return headers;
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

const encodingByHeader = new Map<string, "br" | "gzip" | null>();

/** br, then gzip, then identity, honouring q=0 (remembered per header value: browsers send a handful). */
export function pickEncoding(header: string | undefined): "br" | "gzip" | null {
  if (!header) return null;
  const known = encodingByHeader.get(header);
  if (known !== undefined) return known;
  const picked = parseEncoding(header);
  if (encodingByHeader.size >= 256) encodingByHeader.clear();
  if (header.length <= 256) encodingByHeader.set(header, picked);
  return picked;
}

function parseEncoding(header: string): "br" | "gzip" | null {
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

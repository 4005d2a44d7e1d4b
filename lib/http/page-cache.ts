/**
 * The anonymous page cache: whole HTML responses for readers who are not
 * signed in, kept in the server process and served before Next.js runs, the
 * way MediaWiki sits behind Varnish.
 *
 * - What is cached: GET of `/`, `/compare`, `/wiki/<page>` (any revision)
 *   and its diffs, for everyone: these pages are the same for every reader,
 *   whose personal parts (user menu, watch star, moderator tools) the browser
 *   fills in from /api/me. A page's history shows tools by role, so it is
 *   cached only for readers without a session or guest cookie. Never for
 *   Next.js router requests; only 200 text/html responses without Set-Cookie.
 * - CSP: a cached page is sent to many readers, so a per-request nonce cannot
 *   protect it. When stored, its inline scripts (each must carry the nonce of
 *   the render, or the page is not stored) are hashed and the policy's
 *   script-src becomes `'self'` plus those hashes (see docs/security.md).
 * - HTTP: hits carry a strong ETag (one per content coding), Last-Modified
 *   and `Cache-Control: public, max-age=0, must-revalidate` (history:
 *   `private, no-cache`), answer If-None-Match with 304, and are compressed
 *   once (br, gzip) off the main thread. Query strings are reduced to the
 *   parameters each route reads.
 * - Purging: every entry has tags (`page:<slug>`, `overview`); the domain
 *   purges tags after each committed write (lib/http/purge.ts). A fill that
 *   started before a purge of one of its tags is not stored, so a slow render
 *   cannot bring back the page the purge removed. Entries also expire after
 *   ten minutes, a safety net for a purge that never came (a crash between
 *   commit and purge, a write from another process).
 *
 * Framework-free on purpose: the HTTP server (scripts/server.ts) bundles it,
 * and the domain reaches the same instance through PAGE_CACHE_KEY
 * (page-cache-key.ts).
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { Parser } from "htmlparser2";
import { LRUCache } from "lru-cache";

import { OLD_REVISIONS_TAG, OVERVIEW_TAG, pageTag, type PagePurger } from "./page-cache-key";
import { httpDate, isNotModified, strongEtag } from "./validators";

/** Cookies that make a page personal: next-auth's session (maybe chunked) and a guest's talk token. */
export const PERSONAL_COOKIES = [/^(__Secure-)?next-auth\.session-token(\.\d+)?$/, /^propagate_guest$/];
/** Headers Next.js's client router sends; those responses are RSC payloads, not pages. */
const ROUTER_HEADERS = ["rsc", "next-router-prefetch", "next-router-state-tree", "next-router-segment-prefetch", "next-action", "authorization"];
/** Pages larger than this are not kept (page sources are at most 256 KB; their HTML is a few times that). */
export const MAX_ENTRY_BYTES = 2 * 2 ** 20;
const CACHE_CONTROL = "public, max-age=0, must-revalidate";
const PERSONAL_CACHE_CONTROL = "private, no-cache";
/** Put in a page's HTML (as an attribute) to keep that response out of the cache. */
export const NO_STORE_MARKER = 'data-page-cache="no-store"';
/** The longest a page stays cached without a purge: a safety net for a purge that never came. */
const MAX_AGE_MS = 10 * 60 * 1000;
/** Response headers a cached copy keeps; everything else (cookies, dates, Next.js internals) is dropped. */
const KEPT_HEADERS = ["content-type", "content-language", "link", "x-content-type-options", "referrer-policy", "x-frame-options"];

/** `shared`: the same for every reader; otherwise only readers without a session share it. */
export type CachePlan = { key: string; tags: string[]; shared: boolean };

/**
 * The query parameters each cached route reads. The key keeps only these (in
 * this order), so made-up parameters cannot fill the cache with copies of one
 * page or push popular pages out.
 */
const ROUTE_PARAMS = {
  overview: ["sort", "tag"],
  page: ["rev", "redirectedfrom", "merged"],
  diff: ["from", "to", "view"],
  history: ["before", "after"],
} as const;

/**
 * Whether a request may be answered from the cache, and under which key and
 * tags. Null means bypass: not a page read, a router request, or a personal
 * page for a reader with a session.
 */
export function planRequest(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): CachePlan | null {
  if ((method !== "GET" && method !== "HEAD") || !url) return null;
  if (ROUTER_HEADERS.some((h) => headers[h] !== undefined)) return null;
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
  if (query.has("_rsc")) return null;
  if (pathname === "/" || pathname === "/compare") return { key: cacheKey(pathname, query, ROUTE_PARAMS.overview), tags: [OVERVIEW_TAG], shared: true };
  const match = /^\/wiki\/([^/]+)(?:\/(diff|history))?$/.exec(pathname);
  if (!match) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  const view = (match[2] ?? "page") as "page" | "diff" | "history";
  const shared = view !== "history";
  if (!shared && hasPersonalCookie(headers.cookie)) return null;
  // An old revision's links turn blue when their pages are created, which purges OLD_REVISIONS_TAG.
  const tags = view === "page" && query.has("rev") ? [pageTag(slug), OLD_REVISIONS_TAG] : [pageTag(slug)];
  return { key: cacheKey(pathname, query, ROUTE_PARAMS[view]), tags, shared };
}

function cacheKey(pathname: string, query: URLSearchParams, names: readonly string[]): string {
  const kept = new URLSearchParams();
  for (const name of names) for (const value of query.getAll(name)) kept.append(name, value);
  const search = kept.toString();
  return search ? `${pathname}?${search}` : pathname;
}

function hasPersonalCookie(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(";")) {
    const name = part.split("=", 1)[0]!.trim();
    if (PERSONAL_COOKIES.some((re) => re.test(name))) return true;
  }
  return false;
}

export type CachedPage = {
  headers: Record<string, string>;
  body: Buffer;
  /** Filled in by `compress` once the thread pool has done it; until then the body goes out as is. */
  gzip: Buffer | null;
  br: Buffer | null;
  etag: string;
  lastModified: string;
  storedAt: number;
  tags: string[];
};

/**
 * Turn a finished response into a cache entry, or null when it must not be
 * shared: not a 200 HTML page, sets a cookie, is encoded, too big, or has a
 * policy we cannot rewrite.
 */
export function prepareEntry(
  response: { statusCode: number; headers: OutgoingHttpHeaders; body: Buffer },
  plan: Pick<CachePlan, "tags" | "shared">,
  storedAt: number,
): CachedPage | null {
  const { statusCode, headers, body } = response;
  if (statusCode !== 200 || body.length === 0 || body.length > MAX_ENTRY_BYTES) return null;
  if (!String(headers["content-type"] ?? "").startsWith("text/html")) return null;
  if (headers["set-cookie"] !== undefined) return null;
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && encoding !== "identity") return null;
  const policy = headers["content-security-policy"];
  if (typeof policy !== "string") return null;
  const html = body.toString("utf8");
  // The page marks itself when what it shows is a passing failure (a render that timed out).
  if (html.includes(NO_STORE_MARKER)) return null;
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  if (!nonce) return null;
  const hashes = inlineScriptHashes(html, nonce);
  // A script without this render's nonce was not put there by Next.js: never vouch for it.
  if (!hashes) return null;
  const shared = sharedPolicy(policy, hashes);
  if (!shared) return null;

  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  kept["content-security-policy"] = shared;
  const vary = new Set(
    String(headers.vary ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  );
  if (!plan.shared) vary.add("Cookie");
  vary.add("Accept-Encoding");
  kept.vary = [...vary].join(", ");
  // History is cached here only for readers without a session; a shared cache must not hand it to moderators.
  kept["cache-control"] = plan.shared ? CACHE_CONTROL : PERSONAL_CACHE_CONTROL;
  return {
    headers: kept,
    body,
    gzip: null,
    br: null,
    etag: strongEtag(body),
    lastModified: httpDate(new Date(storedAt)),
    storedAt,
    tags: plan.tags,
  };
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Make the compressed variants on libuv's thread pool, so a fill never blocks other requests. */
export async function compress(entry: CachedPage): Promise<void> {
  const [gz, br] = await Promise.all([
    gzipAsync(entry.body, { level: 6 }),
    brotliAsync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: entry.body.length } }),
  ]);
  entry.gzip = gz;
  entry.br = br;
}

/**
 * sha256 sources for the page's inline scripts, hashed as the browser does:
 * the element's text exactly as written, after the parser's newline
 * normalisation. Null when an inline script does not carry `nonce` (only
 * Next.js's own scripts do).
 */
export function inlineScriptHashes(html: string, nonce: string): string[] | null {
  const hashes = new Set<string>();
  let foreign = false;
  let text: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name !== "script" || attributes.src !== undefined) return;
        if (attributes.nonce !== nonce) foreign = true;
        text = "";
      },
      ontext(data) {
        if (text !== null) text += data;
      },
      onclosetag(name) {
        if (name === "script" && text !== null) {
          hashes.add(createHash("sha256").update(text.replace(/\r\n?/g, "\n"), "utf8").digest("base64"));
          text = null;
        }
      },
    },
    { decodeEntities: false },
  );
  parser.end(html);
  return foreign ? null : [...hashes];
}

/** The page's policy with script-src allowing this origin and exactly these inline scripts (no nonce). */
export function sharedPolicy(policy: string, hashes: string[]): string | null {
  const directives = policy.split(";").map((d) => d.trim());
  const index = directives.findIndex((d) => d.startsWith("script-src "));
  if (index === -1 || directives[index]!.includes("'unsafe-eval'")) return null;
  directives[index] = ["script-src 'self'", ...hashes.map((h) => `'sha256-${h}'`)].join(" ");
  return directives.join("; ");
}

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

/** What `beginFill` hands out: the generations an entry's store is checked against. */
export type FillTicket = { all: number; tags: number[] };

export type PageCacheStats = { hits: number; misses: number; stored: number; skipped: number; purged: number; entries: number; bytes: number };

/** An LRU of cached pages, bounded by bytes, with a tag index for purges. */
export class PageCache implements PagePurger {
  readonly #entries: LRUCache<string, CachedPage>;
  readonly #byTag = new Map<string, Set<string>>();
  /** Bumped by purgeAll; per tag by purgeTags (one counter per page ever purged, a few bytes each). */
  #generation = 0;
  readonly #tagGenerations = new Map<string, number>();
  readonly #stats = { hits: 0, misses: 0, stored: 0, skipped: 0, purged: 0 };

  constructor({ maxBytes = 64 * 2 ** 20 }: { maxBytes?: number } = {}) {
    this.#entries = new LRUCache<string, CachedPage>({
      maxSize: maxBytes,
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

  get(key: string): CachedPage | undefined {
    const entry = this.#entries.get(key);
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
    this.#entries.set(key, entry);
    if (!this.#entries.has(key)) return false;
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
        if (this.#entries.delete(key)) removed++;
      }
    }
    this.#stats.purged += removed;
    return removed;
  }

  purgeAll(): number {
    this.#generation++;
    const removed = this.#entries.size;
    this.#entries.clear();
    this.#stats.purged += removed;
    return removed;
  }

  stats(): PageCacheStats {
    return { ...this.#stats, entries: this.#entries.size, bytes: this.#entries.calculatedSize };
  }
}

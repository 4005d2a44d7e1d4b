/**
 * Capturing a cache entry from a finished response: which responses may be
 * shared, the headers a copy keeps, its validators, and its compressed variants.
 */
import type { OutgoingHttpHeaders } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { inlineScriptHashes, sharedPolicy } from "./page-cache-csp";
import type { CachePlan } from "./page-cache-plan";
import { httpDate, strongEtag } from "./validators";

/** Pages larger than this are not kept (page sources are at most 256 KB; their HTML is a few times that). */
export const MAX_ENTRY_BYTES = 2 * 2 ** 20;
const CACHE_CONTROL = "public, max-age=0, must-revalidate";
const PERSONAL_CACHE_CONTROL = "private, no-cache";
/** Put in a page's HTML (as an attribute) to keep that response out of the cache. */
export const NO_STORE_MARKER = 'data-page-cache="no-store"';
/** Response headers a cached copy keeps; everything else (cookies, dates, Next.js internals) is dropped. */
const KEPT_HEADERS = ["content-type", "content-language", "link", "x-content-type-options", "referrer-policy", "x-frame-options"];

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

/**
 * Which requests the page cache may answer, and under which key and tags:
 * page reads only, never router requests, history only without a session;
 * query strings reduced to the parameters each route reads.
 */
import type { IncomingHttpHeaders } from "node:http";
import { parseId } from "@/lib/ids";
import { pagePath, tryParseTitle } from "@/lib/wikitext/title";
import { OLD_REVISIONS_TAG, OVERVIEW_TAG, pageTag } from "./page-cache-key";

/** Cookies that make a page personal: next-auth's session (maybe chunked) and a guest's talk token. */
export const PERSONAL_COOKIES = [/^(__Secure-)?next-auth\.session-token(\.\d+)?$/, /^propagate_guest$/];
/** Headers Next.js's client router sends; those responses are RSC payloads, not pages. */
const ROUTER_HEADERS = ["rsc", "next-router-prefetch", "next-router-state-tree", "next-router-segment-prefetch", "next-action", "authorization"];

/** `shared`: the same for every reader; otherwise only readers without a session share it. */
export type CachePlan = { key: string; tags: string[]; shared: boolean };

/**
 * The query parameters each cached route reads. The key keeps only these (in
 * this order), so made-up parameters cannot fill the cache with copies of one
 * page or push popular pages out.
 */
const ROUTE_PARAMS = {
  overview: ["sort", "tag", "after", "before"],
  page: ["rev", "redirectedfrom", "merged", "created", "saved"],
  diff: ["from", "to", "view", "page"],
  history: ["before", "after"],
  blame: ["page"],
} as const;

const isId = (value: string) => parseId(value) !== null;
const isOne = (value: string) => value === "1";
const laterPage = (value: string) => isId(value) && value !== "1";

/**
 * The values of a parameter that are cached, per route: the spellings the
 * wiki's own links use. Any other value (`rev=01`, `from=3.0`, `view=x`,
 * `merged=yes`, a repeated parameter) is answered but not kept: it would be a
 * copy of a page, or an error message, under a key of its own, and made-up
 * values in a loop would push the popular pages out of the cache. (Ids that
 * are well formed but name no revision get an error page that marks itself
 * not to be kept, NO_STORE_MARKER.) Parameters without an entry here (the
 * overview's cursors) keep any value.
 */
const CACHED_VALUES: { [V in keyof typeof ROUTE_PARAMS]: Partial<Record<(typeof ROUTE_PARAMS)[V][number], (value: string) => boolean>> } = {
  // The overview reads a tag in lower case: `Garden` would be a copy of `garden`.
  overview: { sort: (value) => value === "title" || value === "dimension", tag: (value) => value === value.toLowerCase() && /^[\p{L}\p{N}-]{1,40}$/u.test(value) },
  page: { rev: isId, merged: isOne, created: isOne, saved: isOne, redirectedfrom: (value) => tryParseTitle(value)?.slug === value },
  // Page 1 is the diff (or the blame) itself, which its links write without `page`.
  diff: { from: isId, to: isId, view: (value) => value === "inline", page: laterPage },
  history: { before: isId, after: isId },
  blame: { page: laterPage },
};

/** A cached route, parsed: its view, and for wiki routes the page's slug and canonical path. */
export type CachedRoute =
  | { view: "overview"; path: "/" | "/compare" }
  | { view: "page" | "diff" | "history" | "blame"; slug: string; path: string };

/**
 * The cached route a path names, or null. A wiki path's title is
 * percent-decoded and parsed (lib/wikitext/title.ts): a title that does not
 * parse (`..`, `X#y`, bad percent-encoding) is no cached route, and neither
 * is a spelling that is not the canonical slug (`adoption`, `Nursery and
 * garden`), which the route answers with a redirect to the canonical title.
 * Spellings that decode to the canonical slug (`%41doption`) name the same
 * route as the canonical path.
 */
export function parseCachedRoute(pathname: string): CachedRoute | null {
  if (pathname === "/" || pathname === "/compare") return { view: "overview", path: pathname };
  const match = /^\/wiki\/([^/]+)(?:\/(diff|history|blame))?$/.exec(pathname);
  if (!match) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  const title = tryParseTitle(decoded);
  if (!title || title.slug !== decoded) return null;
  const view = (match[2] ?? "page") as "page" | "diff" | "history" | "blame";
  return { view, slug: title.slug, path: pagePath(title.slug, view === "page" ? "" : `/${view}`) };
}

/**
 * The cache key of a route: its canonical path and, in a fixed order, only
 * the query parameters the route reads. Null (not cached) when one of them
 * is repeated or has a value that is not cached (see CACHED_VALUES).
 */
export function cacheKey(route: CachedRoute, query: URLSearchParams): string | null {
  const kept = new URLSearchParams();
  for (const name of ROUTE_PARAMS[route.view]) {
    const values = query.getAll(name);
    if (values.length > 1) return null;
    if (values.length === 0) continue;
    const cached = (CACHED_VALUES[route.view] as Record<string, ((value: string) => boolean) | undefined>)[name];
    if (cached && !cached(values[0]!)) return null;
    kept.append(name, values[0]!);
  }
  const search = kept.toString();
  return search ? `${route.path}?${search}` : route.path;
}

/**
 * Whether a request may be answered from the cache, and under which key and
 * tags (both from the parsed route, see {@link parseCachedRoute}). Null means
 * bypass: not a page read, a router request, a path that is not a cached
 * route, or a personal page for a reader with a session.
 */
export function planRequest(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): CachePlan | null {
  if ((method !== "GET" && method !== "HEAD") || !url) return null;
  if (ROUTER_HEADERS.some((h) => headers[h] !== undefined)) return null;
  const plan = planForUrl(url);
  if (!plan) return null;
  if (!plan.shared && hasPersonalCookie(headers.cookie)) return null;
  return plan;
}

// The plan of an address depends on the address alone: remembered for the most recent ones, so a
// cache hit does not parse the title again (the hit path is the server's hottest).
const MAX_REMEMBERED_PLANS = 10_000;
const plansByUrl = new Map<string, CachePlan | null>();

function planForUrl(url: string): CachePlan | null {
  const known = plansByUrl.get(url);
  if (known !== undefined) return known;
  const plan = computePlan(url);
  if (plansByUrl.size >= MAX_REMEMBERED_PLANS) plansByUrl.clear();
  // Only short addresses: a long one is rarely asked twice, and would make the map's memory unbounded.
  if (url.length <= 512) plansByUrl.set(url, plan);
  return plan;
}

function computePlan(url: string): CachePlan | null {
  // A request target never carries a fragment (RFC 9112 §3.2); one that does is not cached.
  if (url.includes("#")) return null;
  const q = url.indexOf("?");
  const query = new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
  if (query.has("_rsc")) return null;
  const route = parseCachedRoute(q === -1 ? url : url.slice(0, q));
  if (!route) return null;
  const key = cacheKey(route, query);
  if (key === null) return null;
  if (route.view === "overview") return { key, tags: [OVERVIEW_TAG], shared: true };
  const shared = route.view !== "history";
  // An old revision's links turn blue when their pages are created, which purges OLD_REVISIONS_TAG.
  const tags = route.view === "page" && query.has("rev") ? [pageTag(route.slug), OLD_REVISIONS_TAG] : [pageTag(route.slug)];
  return { key, tags, shared };
}

/**
 * Whether this request's response may be stored under its plan's key: only
 * when it was asked for by the canonical path. Other spellings of it
 * (`%41doption`) are answered from that entry, but Next.js writes the
 * requested address into the page it renders, and a copy of it must not move
 * another reader's address bar there.
 */
export function mayFill(plan: CachePlan, url: string): boolean {
  const q = url.indexOf("?");
  const k = plan.key.indexOf("?");
  return (q === -1 ? url : url.slice(0, q)) === (k === -1 ? plan.key : plan.key.slice(0, k));
}

function hasPersonalCookie(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(";")) {
    const name = part.split("=", 1)[0]!.trim();
    if (PERSONAL_COOKIES.some((re) => re.test(name))) return true;
  }
  return false;
}

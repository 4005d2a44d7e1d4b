/**
 * Which requests the page cache may answer, and under which key and tags:
 * page reads only, never router requests, history only without a session;
 * query strings reduced to the parameters each route reads.
 */
import type { IncomingHttpHeaders } from "node:http";
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

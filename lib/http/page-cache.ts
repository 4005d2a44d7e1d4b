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
 *
 * The parts: page-cache-plan.ts (which requests, keys and tags),
 * page-cache-entry.ts (capturing a response), page-cache-csp.ts (its script
 * hashes), page-cache-reply.ts (answering, 304s, codings) and
 * page-cache-store.ts (the LRU and purges).
 */
export { cacheKey, mayFill, parseCachedRoute, PERSONAL_COOKIES, planRequest, type CachePlan, type CachedRoute } from "./page-cache-plan";
export { compress, MAX_ENTRY_BYTES, NO_STORE_MARKER, prepareEntry, type CachedPage } from "./page-cache-entry";
export { inlineScriptHashes, sharedPolicy } from "./page-cache-csp";
export { pickEncoding, replyFromCache, type Reply } from "./page-cache-reply";
export { PageCache, type FillTicket, type PageCacheStats } from "./page-cache-store";

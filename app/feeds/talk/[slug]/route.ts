import { originPolicy } from "@/lib/edge/policy";
import { originVary, siteOrigin } from "@/lib/security/request";
import { api, revalidatable } from "@/lib/api/http";
import { requirePage, slugFrom } from "@/lib/api/pages-api";
import { getDb } from "@/lib/db";
import { changeFeed } from "@/lib/feeds/change-feed";
import { cachedFeed } from "@/lib/feeds/feed-cache";
import { listRecentChanges } from "@/lib/wiki/recent-changes";
import { pagePath } from "@/lib/wiki/title";

type Context = { params: Promise<{ slug: string }> };

/** Atom feed of one page's discussion. */
export const GET = api(async (request: Request, { params }: Context) => {
  // The site's own origin (PUBLIC_URL, or a trusted Host), never the address the server is bound to.
  const policy = originPolicy();
  const origin = siteOrigin(request.headers, policy);
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  // Built once per write (lib/feeds/feed-cache.ts): every reader and feed poller shares it.
  const xml = await cachedFeed(`talk|${page.id}|${origin}`, async () => changeFeed(db, await listRecentChanges(db, { pageId: page.id, limit: 50, types: ["talk"] }), {
    id: `${origin}${pagePath(page.slug, "/talk")}`,
    title: `Propagate — discussion of ${page.title}`,
    link: `${origin}${pagePath(page.slug, "/talk")}`,
    selfLink: `${origin}/feeds/talk/${encodeURIComponent(page.slug)}`,
    origin,
  }));
  // ETag only: hiding a post or renaming a page changes the feed without a newer entry date.
  return revalidatable(request, xml, { contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60", vary: originVary(policy) });
});

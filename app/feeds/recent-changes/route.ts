import { originPolicy } from "@/lib/edge/policy";
import { originVary, siteOrigin } from "@/lib/security/request";
import { api, revalidatable } from "@/lib/api/http";
import { getDb } from "@/lib/db";
import { changeFeed } from "@/lib/feeds/change-feed";
import { cachedFeed } from "@/lib/feeds/feed-cache";
import { listRecentChanges } from "@/lib/wiki/recent-changes";

/** Atom feed of recent changes across the wiki. */
export const GET = api(async (request: Request) => {
  // The site's own origin (PUBLIC_URL, or a trusted Host), never the address the server is bound to.
  const policy = originPolicy();
  const origin = siteOrigin(request.headers, policy);
  const db = getDb();
  const hideMinor = new URL(request.url).searchParams.get("hideminor") === "1";
  // Built once per write (lib/feeds/feed-cache.ts): every reader and feed poller shares it.
  const xml = await cachedFeed(`recent-changes|${hideMinor}|${origin}`, async () => changeFeed(db, await listRecentChanges(db, { limit: 50, hideMinor }), {
    id: `${origin}/recent-changes`,
    title: "Propagate — recent changes",
    link: `${origin}/recent-changes`,
    selfLink: `${origin}/feeds/recent-changes`,
    origin,
  }));
  // ETag only: hiding a post or renaming a page changes the feed without a newer entry date.
  return revalidatable(request, xml, { contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60", vary: originVary(policy) });
});

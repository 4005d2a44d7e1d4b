import type { MetadataRoute } from "next";

/**
 * Crawlers read the wiki, not the API or personal pages. A page's source
 * (its editor, "View source" to a crawler) stays readable, as MediaWiki's does.
 */
export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: "*", allow: "/", disallow: ["/api/", "/profile", "/notifications", "/watchlist", "/moderation", "/admin/"] },
  };
}

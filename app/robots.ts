import type { MetadataRoute } from "next";

/** Crawlers read pages, not the editor, the API or personal pages. */
export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: "*", allow: "/", disallow: ["/api/", "/wiki/*/edit", "/profile", "/notifications", "/watchlist", "/moderation", "/admin/"] },
  };
}

import { api } from "@/lib/api/http";
import { getDb } from "@/lib/db";
import { titlesLike } from "@/lib/search/title-suggest";
import { pagePath } from "@/lib/wikitext/title";

/** GET /api/titles?q=<typed>: up to 8 page titles for the search box's suggestions. */
export const GET = api(async (request: Request) => {
  const typed = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 255);
  const found = typed.trim() === "" ? [] : await titlesLike(getDb(), typed);
  const titles = found.map((t) => ({ title: t.title, href: pagePath(t.slug) }));
  // Titles change only with creations, renames and deletions: a short shared lifetime is safe.
  return Response.json({ titles }, { headers: { "Cache-Control": "public, max-age=30" } });
});

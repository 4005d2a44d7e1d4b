import { api, revalidatable } from "@/lib/api/http";
import { requirePage, requireRevision, revisionJson, slugFrom } from "@/lib/api/pages-api";
import { getDb } from "@/lib/db";

type Context = { params: Promise<{ slug: string }> };

/** GET /api/pages/<slug>: the page and its latest revision (content and structured fields). */
export const GET = api(async (request: Request, { params }: Context) => {
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  const revision = await requireRevision(db, page.id, page.latestRevisionId!);
  // Validated by the body's hash, not the revision's date: the page row (title, protection) changes too.
  const body = JSON.stringify({ page: { slug: page.slug, title: page.title, kind: page.kind, protection: page.protection }, revision: revisionJson(revision) });
  return revalidatable(request, body, { contentType: "application/json", cacheControl: "no-cache" });
});

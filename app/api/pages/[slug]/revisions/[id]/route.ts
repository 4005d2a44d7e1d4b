import { api } from "@/lib/api/http";
import { requirePage, revisionJson, slugFrom } from "@/lib/api/pages-api";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getRevisionWithAuthor } from "@/lib/wiki/revision-store";
import { parseId } from "@/lib/ids";

// A revision never changes, but deleting its page must make it unreadable: no shared cache may keep it,
// and a browser keeps it only briefly (docs/security.md).
const REVISION_CACHE_CONTROL = "private, max-age=60, must-revalidate";

type Context = { params: Promise<{ slug: string; id: string }> };

/** GET /api/pages/<slug>/revisions/<id>: one revision (private and short-lived in caches: deleting the page must hide it). */
export const GET = api(async (_request: Request, { params }: Context) => {
  const { slug, id } = await params;
  if (parseId(id) === null) throw new AppError("invalid:input", "A revision id is a whole number from 1 to 2147483647.");
  const db = getDb();
  const page = await requirePage(db, slugFrom(slug));
  const row = await getRevisionWithAuthor(db, page.id, Number(id));
  if (!row) throw new AppError("not_found:revision", `Revision ${id} is not a revision of this page.`);
  return Response.json(revisionJson(row.revision, row.authorName), { headers: { "Cache-Control": REVISION_CACHE_CONTROL } });
});

import { api, intParam } from "@/lib/api/http";
import { requirePage, slugFrom } from "@/lib/api/pages-api";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { compareRevisions } from "@/lib/wiki/revision-diff";

type Context = { params: Promise<{ slug: string }> };

/** GET /api/pages/<slug>/diff?from=&to=: the structured diff between two revisions (immutable). */
export const GET = api(async (request: Request, { params }: Context) => {
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  const url = new URL(request.url);
  const from = intParam(url, "from");
  const to = intParam(url, "to");
  if (from === undefined || to === undefined) throw new AppError("invalid:input", "Give both from and to revision ids.");
  const { diff } = await compareRevisions(db, page.id, from, to);
  return Response.json({ from, to, ...diff }, { headers: { "Cache-Control": "public, max-age=31536000, immutable" } });
});

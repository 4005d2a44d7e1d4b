import { api, intParam } from "@/lib/api/http";
import { requirePage, revisionJson, slugFrom } from "@/lib/api/pages-api";
import { getDb } from "@/lib/db";
import { route } from "@/lib/edge/route";
import { AppError } from "@/lib/errors";
import { describeSave, savePageCommand } from "@/lib/commands/wiki/save-page";
import { listHistory } from "@/lib/wiki/revision-store";
import { pagePath } from "@/lib/wikitext/title";

/** GET /api/pages/<slug>/revisions?before=<id>&limit=<n>: history, newest first, keyset-paginated. */
export const GET = api<{ slug: string }>(async (request, { params }) => {
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  const url = new URL(request.url);
  const limit = intParam(url, "limit") ?? 50;
  if (limit > 500) throw new AppError("invalid:input", "limit must be at most 500.");
  const history = await listHistory(db, page.id, { before: intParam(url, "before"), limit });
  return Response.json({
    revisions: history.rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    next: history.hasOlder ? `/api/pages/${encodeURIComponent(page.slug)}/revisions?before=${history.rows.at(-1)!.id}&limit=${limit}` : null,
  });
});

/**
 * POST /api/pages/<slug>/revisions {content, summary, minor, baseRevisionId, idempotencyKey?}:
 * save an edit. 201 with the new revision (merged: true when it was merged
 * with a newer one), 200 when nothing changed or for a repeated key, 409 with
 * the conflict, 422 with validation errors (line, column).
 */
export const POST = route<{ slug: string }>({ body: "json" }, async ({ ctx, body, params }) => {
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
  const { result } = await savePageCommand.execute(ctx, { ...fields, title: slugFrom(params.slug) });
  if (result.status === "unchanged") {
    return Response.json({ status: "unchanged", message: describeSave(result), revision: revisionJson(result.revision) });
  }
  return Response.json(
    { status: "saved", merged: result.merged, duplicate: result.duplicate, revision: revisionJson(result.revision, ctx.actor?.name) },
    { status: result.duplicate ? 200 : 201, headers: { Location: `${pagePath(result.slug)}?rev=${result.revisionId}` } },
  );
});

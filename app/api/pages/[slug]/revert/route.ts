import { revisionJson, slugFrom } from "@/lib/api/pages-api";
import { route } from "@/lib/edge/route";
import { AppError } from "@/lib/errors";
import { revertPageCommand } from "@/lib/commands/wiki/revert-page";
import { getRevisionWithAuthor } from "@/lib/wiki/revision-store";
import { getPageBySlug } from "@/lib/wiki/page-store";

/** POST /api/pages/<slug>/revert {revisionId, summary?}: restore an old revision as a new one (201). */
export const POST = route<{ slug: string }>({ body: "json" }, async ({ ctx, body, params }) => {
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
  const { result } = await revertPageCommand.execute(ctx, { ...fields, title: slugFrom(params.slug) });
  const page = await getPageBySlug(ctx.db, result.slug);
  const row = page ? await getRevisionWithAuthor(ctx.db, page.id, result.revisionId) : null;
  if (!row) throw new AppError("not_found:revision", "The new revision could not be read back.");
  return Response.json({ status: "saved", revision: revisionJson(row.revision, row.authorName) }, { status: 201 });
});

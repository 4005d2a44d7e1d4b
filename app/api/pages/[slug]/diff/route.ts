import { intParam } from "@/lib/api/http";
import { requirePage, slugFrom } from "@/lib/api/pages-api";
import { route } from "@/lib/edge/route";
import { AppError } from "@/lib/errors";
import { readerCharge } from "@/lib/wiki/diff-cost";
import { compareRevisions } from "@/lib/wiki/revision-diff";

// A revision never changes, but deleting its page must make it unreadable: no shared cache may keep it,
// and a browser keeps it only briefly (docs/security.md).
const REVISION_CACHE_CONTROL = "private, max-age=60, must-revalidate";

/**
 * GET /api/pages/<slug>/diff?from=&to=&page=: one page of the structured diff
 * between two revisions (immutable). A diff not computed yet is charged to the
 * reader's budget (429 with Retry-After when it is spent).
 */
export const GET = route<{ slug: string }>({ session: true }, async ({ ctx, url, params }) => {
  const page = await requirePage(ctx.db, slugFrom(params.slug));
  const from = intParam(url, "from");
  const to = intParam(url, "to");
  const requested = intParam(url, "page");
  if (from === undefined || to === undefined) throw new AppError("invalid:input", "Give both from and to revision ids.");
  const charge = readerCharge(ctx.db, { userId: ctx.actor?.id ?? null, ip: ctx.ip });
  const { diff } = await compareRevisions(ctx.db, page.id, from, to, { page: requested ?? 1, charge });
  if (requested !== undefined && requested > diff.pageCount) throw new AppError("invalid:input", `page must be from 1 to ${diff.pageCount} for this diff.`);
  const base = `${url.pathname}?from=${from}&to=${to}`;
  const links = {
    next: diff.page < diff.pageCount ? `${base}&page=${diff.page + 1}` : null,
    previous: diff.page > 1 ? `${base}&page=${diff.page - 1}` : null,
  };
  return Response.json({ from, to, ...diff, links }, { headers: { "Cache-Control": REVISION_CACHE_CONTROL } });
});

import { z } from "zod";
import { api, intParam, readJson } from "@/lib/api/http";
import { requirePage, revisionJson, slugFrom } from "@/lib/api/pages-api";
import { can, refusal } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getPageBySlugIncludingDeleted } from "@/lib/wiki/page-admin";
import { savePage } from "@/lib/wiki/page-updater";
import { listHistory } from "@/lib/wiki/revision-store";
import { pagePath } from "@/lib/wiki/title";
import { MAX_ID } from "@/lib/ids";

type Context = { params: Promise<{ slug: string }> };

/** GET /api/pages/<slug>/revisions?before=<id>&limit=<n>: history, newest first, keyset-paginated. */
export const GET = api(async (request: Request, { params }: Context) => {
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

const body = z
  .object({
    content: z.string().max(300_000, "content is over the size limit"),
    summary: z.string().max(500).default(""),
    minor: z.boolean().default(false),
    baseRevisionId: z.number().int().positive().max(MAX_ID).nullable(),
    idempotencyKey: z.string().min(8).max(100).optional(),
  })
  .strict();

/**
 * POST /api/pages/<slug>/revisions: save an edit. 201 with the new revision
 * (merged: true when it was merged with a newer one), 200 when nothing
 * changed, 409 with the conflict, 422 with validation errors (line, column).
 */
export const POST = api(async (request: Request, { params }: Context) => {
  const slug = slugFrom((await params).slug);
  const input = await readJson(request, body);
  const actor = await currentActor();
  const db = getDb();
  const existing = await getPageBySlugIncludingDeleted(db, slug);
  const subject = { page: existing ? { protection: existing.protection, deleted: existing.deletedAt !== null } : undefined };
  if (!can(actor, "edit", subject)) throw new AppError(actor ? "forbidden:page" : "unauthorized", refusal(actor, "edit", subject));
  const result = await savePage(db, {
    title: slug,
    content: input.content,
    authorId: actor!.id,
    summary: input.summary,
    minor: input.minor,
    baseRevisionId: input.baseRevisionId,
    idempotencyKey: input.idempotencyKey,
    mayEditProtected: can(actor, "protect"),
  });
  if (result.status === "unchanged") {
    return Response.json({ status: "unchanged", message: "Nothing changed: the text is the same as the current version.", revision: revisionJson(result.revision) });
  }
  return Response.json(
    { status: "saved", merged: result.merged, duplicate: result.duplicate, revision: revisionJson(result.revision, actor!.name) },
    { status: result.duplicate ? 200 : 201, headers: { Location: `${pagePath(result.page.slug)}?rev=${result.revision.id}` } },
  );
});

import { z } from "zod";
import { api, readJson } from "@/lib/api/http";
import { requirePage, revisionJson, slugFrom } from "@/lib/api/pages-api";
import { can, refusal } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { revertToRevision } from "@/lib/wiki/page-actions";
import { MAX_ID } from "@/lib/ids";

type Context = { params: Promise<{ slug: string }> };

/** POST /api/pages/<slug>/revert {revisionId, summary?}: restore an old revision as a new one (201). */
export const POST = api(async (request: Request, { params }: Context) => {
  const slug = slugFrom((await params).slug);
  const input = await readJson(request, z.object({ revisionId: z.number().int().positive().max(MAX_ID), summary: z.string().max(500).optional() }).strict());
  const actor = await currentActor();
  const db = getDb();
  const page = await requirePage(db, slug);
  const subject = { page: { protection: page.protection, deleted: false } };
  if (!can(actor, "edit", subject)) throw new AppError(actor ? "forbidden:page" : "unauthorized", refusal(actor, "edit", subject));
  const result = await revertToRevision(db, { slug, revisionId: input.revisionId, actorId: actor!.id, actorName: actor!.name, mayEditProtected: can(actor, "protect"), summary: input.summary });
  return Response.json({ status: "saved", revision: revisionJson(result.revision, actor!.name) }, { status: 201 });
});
